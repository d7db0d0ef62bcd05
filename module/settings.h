/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VPCSNAT_SETTINGS_H
#define _VPCSNAT_SETTINGS_H

#include <linux/bits.h>
#include <net/netlink.h>

#include "decision.h"

/*
 * How a setting is held, sent, parsed, shown and checked:
 *
 * BOOL    bool; NLA_U8 0 or 1; sysfs 0 or 1 (kstrtobool() on write)
 * ADDR    __be32, vpcsnat_snat_ip_check() or 0 for "auto"; NLA_BE32; sysfs an
 *         address or auto
 * ADDR6   struct in6_addr, vpcsnat_snat_ip6_check() or :: for "auto"; 16 bytes;
 *         sysfs an address (RFC 5952 form) or auto
 * ENUM    u8, a value that has a name in @names; NLA_U8; sysfs the name
 * U32     u32 in the range of its policy; NLA_U32; sysfs decimal
 * IFACES  struct vpcsnat_ifaces; a nest of VPCSNAT_A_IFACE strings; sysfs
 *         space separated (commas and tabs too on write)
 * MARK    u32 bits, 0 for none; NLA_U32; sysfs hex (0x80) or none, and on
 *         write any base kstrtou32() reads
 */
enum vpcsnat_setting_type {
	VPCSNAT_SETTING_BOOL,
	VPCSNAT_SETTING_ADDR,
	VPCSNAT_SETTING_ADDR6,
	VPCSNAT_SETTING_ENUM,
	VPCSNAT_SETTING_U32,
	VPCSNAT_SETTING_IFACES,
	VPCSNAT_SETTING_MARK,
};

/*
 * One setting: its attribute and its sysfs file, where it is in struct
 * vpcsnat_settings and what values it takes. settings.c holds one row per
 * setting, and its attribute's policy next to the rows: a new setting is a
 * row and a policy entry there, and a field in the struct.
 */
struct vpcsnat_setting {
	const char *name;		/* the sysfs file */
	u16 attr;			/* VPCSNAT_A_* */
	u8 type;			/* enum vpcsnat_setting_type */
	u16 offset;			/* in struct vpcsnat_settings */
	u32 dflt;			/* BOOL, ENUM, U32, MARK: the default */
	const char *dflt_iface;		/* IFACES: the one prefix of the default */
	const char *const *names;	/* ENUM: the name of each value */
	unsigned int nr_names;
	const char *invalid;		/* ENUM, U32, MARK: the extack message (ADDR, ADDR6: shared.h's) */
};

extern const struct vpcsnat_setting vpcsnat_settings[];
extern const unsigned int vpcsnat_nr_settings;
extern const struct nla_policy vpcsnat_set_config_policy[VPCSNAT_A_MAX + 1];
extern const struct nla_policy vpcsnat_replace_policy[VPCSNAT_A_MAX + 1];

/* Which settings a change sets: a bit per attribute (VPCSNAT_A_MAX < 64). */
#define VPCSNAT_SET(attr)	BIT_ULL(attr)
#define VPCSNAT_SET_ALL		(~0ULL)

struct vpcsnat_change;

void vpcsnat_settings_default(struct vpcsnat_settings *s);
int vpcsnat_settings_parse(struct nlattr **attrs, struct vpcsnat_change *chg,
			   struct netlink_ext_ack *extack);
int vpcsnat_settings_put(struct sk_buff *skb,
			 const struct vpcsnat_settings *s);
void vpcsnat_settings_merge(struct vpcsnat_settings *s,
			    const struct vpcsnat_change *chg);
int vpcsnat_settings_check(const struct vpcsnat_settings *s,
			   struct netlink_ext_ack *extack);
ssize_t vpcsnat_setting_show(const struct vpcsnat_setting *set,
			     const struct vpcsnat_settings *s, char *buf);
int vpcsnat_setting_store(const struct vpcsnat_setting *set, char *word,
			  struct vpcsnat_change *chg);
int vpcsnat_ifaces_add(struct vpcsnat_ifaces *l, const char *name,
		       struct netlink_ext_ack *extack);

#endif /* _VPCSNAT_SETTINGS_H */
