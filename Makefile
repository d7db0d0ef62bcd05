# SPDX-License-Identifier: GPL-2.0
#
# make            build module/vpcsnat.ko and userspace/snatctl
# make demo       boot a VM and show what each server sees
# make check      every test: host unit tests, dkms build, VM smoke and e2e on
#                 the stock kernel, then KUnit, stress, faults and fuzzing on
#                 a debug kernel built once (the first time, ~6 min)
# make check-quick the stock-kernel part of check only
# make check-debug the debug-kernel part of check only
# make bench      the benchmark of BENCHMARKS.md, in one VM boot
# make install    install snatctl and the module for the running kernel
# make dkms-install
#
# KVER/KDIR pick the kernel to build against: by default the running
# kernel if its headers are installed, else the newest kernel with both an
# image and headers (tests/kver.sh, which the test VM asks too).

VERSION := 0.1.0
KVER ?= $(shell tests/kver.sh)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr
DESTDIR ?=

export KVER

all: module snatctl

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

snatctl:
	$(MAKE) -C userspace

deps:
	@tests/deps.sh

# The test targets install what they need, build, then run one command.
# check-debug is the module on a debug kernel (KASAN, lockdep, PROVE_RCU,
# kmemleak, fault injection): KUnit, stress, faults, hostile input, and
# mutants of the module that they must catch; the end of make check.
check_run := tests/run-all.sh
check-quick_run := tests/run-all.sh --quick
check-debug_run := tests/run-all.sh --debug
demo_run := tests/vm/run.sh -- tests/vm/scenario.sh --demo
bench_run := tests/bench/run.sh

check check-quick check-debug demo bench: deps
	@$(MAKE) --no-print-directory all >/dev/null
	@$($@_run)

# A node image: snatctl, snatctl(8) and its bash completion under PREFIX; the
# unit, the modules-load.d entry and the module where systemd and kmod look
# (kbuild puts it in lib/modules/KVER/extra/module/vpcsnat.ko).
# /etc/vpcsnat.conf is left to the image (see dist/vpcsnat.conf.example).
install: all
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	install -d $(DESTDIR)/lib/systemd/system $(DESTDIR)/usr/lib/modules-load.d \
		$(DESTDIR)$(PREFIX)/share/doc/vpcsnat
	for u in vpcsnat.service vpcsnat-log.service vpcsnat-agent.service; do \
		sed 's|/usr/sbin/snatctl|$(PREFIX)/sbin/snatctl|' dist/$$u \
			>$(DESTDIR)/lib/systemd/system/$$u && \
		chmod 0644 $(DESTDIR)/lib/systemd/system/$$u || exit 1; \
	done
	install -m 0644 dist/modules-load.d/vpcsnat.conf $(DESTDIR)/usr/lib/modules-load.d/vpcsnat.conf
	install -m 0644 dist/vpcsnat.conf.example $(DESTDIR)$(PREFIX)/share/doc/vpcsnat/
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=extra modules_install

uninstall:
	$(MAKE) -C userspace uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	rm -f $(DESTDIR)/lib/systemd/system/vpcsnat.service \
		$(DESTDIR)/lib/systemd/system/vpcsnat-log.service \
		$(DESTDIR)/lib/systemd/system/vpcsnat-agent.service \
		$(DESTDIR)/usr/lib/modules-load.d/vpcsnat.conf \
		$(DESTDIR)$(PREFIX)/share/doc/vpcsnat/vpcsnat.conf.example \
		$(DESTDIR)/lib/modules/$(KVER)/extra/module/vpcsnat.ko*
	-rmdir $(DESTDIR)$(PREFIX)/share/doc/vpcsnat 2>/dev/null
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

.PHONY: uninstall

# Binaries-only DKMS archives, one per kernel with headers, in build/ (the
# EKS AMI way: built at image time, loaded at boot with no compiler).
dkms-tarball:
	@dist/dkms-tarball.sh $(DKMS_KVERS)

dkms-install:
	rm -rf /usr/src/vpcsnat-$(VERSION)
	mkdir -p /usr/src/vpcsnat-$(VERSION)
	cp -r Kbuild dkms.conf module include /usr/src/vpcsnat-$(VERSION)/
	dkms add -m vpcsnat -v $(VERSION) || true
	dkms install -m vpcsnat -v $(VERSION) -k $(KVER)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	rm -rf tests/unit/table_test build

.PHONY: all module snatctl deps check check-quick check-debug demo bench install dkms-install dkms-tarball clean
