/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The verbs of snatctl, one file each (snatctl.c has the table). */
#ifndef VERBS_H
#define VERBS_H

#include <stdio.h>

/* Each verb: its usage (snatctl VERB --help prints it) and its main. */

void status_usage(FILE *f);
int status_main(int argc, const char *argv[]);
void enable_usage(FILE *f);
int enable_main(int argc, const char *argv[]);
void disable_usage(FILE *f);
int disable_main(int argc, const char *argv[]);
void set_usage(FILE *f);
int set_main(int argc, const char *argv[]);
void cidr_usage(FILE *f);
int cidr_main(int argc, const char *argv[]);
void explain_usage(FILE *f);
int explain_main(int argc, const char *argv[]);
void apply_usage(FILE *f);
int apply_main(int argc, const char *argv[]);
void show_config_usage(FILE *f);
int show_config_main(int argc, const char *argv[]);
void monitor_usage(FILE *f);
int monitor_main(int argc, const char *argv[]);
void log_usage(FILE *f);
int log_main(int argc, const char *argv[]);
void who_usage(FILE *f);
int who_main(int argc, const char *argv[]);

#endif
