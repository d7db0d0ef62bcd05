# SPDX-License-Identifier: GPL-2.0
#
# make            build module/vpcsnat.ko and userspace/snatctl
# make demo       boot a VM and show what each server sees
# make check      every test (host unit tests, dkms build, VM smoke and e2e)
# make bench      the benchmark of BENCHMARKS.md, in one VM boot
# make install    install snatctl and the module for the running kernel
# make dkms-install
#
# KVER/KDIR pick the kernel to build against: by default the running
# kernel if its headers are installed, else the newest installed headers.

VERSION := 0.1.0
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -1 /lib/modules | sort -V | while read v; do \
	[ -d /lib/modules/$$v/build ] && echo $$v; done | tail -n 1; fi)
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

check: deps
	@$(MAKE) --no-print-directory all >/dev/null
	@tests/run-all.sh

demo: deps
	@$(MAKE) --no-print-directory all >/dev/null
	@tests/e2e/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all >/dev/null
	@tests/bench/run.sh

install: all
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=extra modules_install

dkms-install:
	rm -rf /usr/src/vpcsnat-$(VERSION)
	mkdir -p /usr/src/vpcsnat-$(VERSION)
	cp -r Kbuild dkms.conf module include /usr/src/vpcsnat-$(VERSION)/
	dkms add -m vpcsnat -v $(VERSION) || true
	dkms install -m vpcsnat -v $(VERSION) -k $(KVER)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	rm -f tests/unit/table_test

.PHONY: all module snatctl deps check demo bench install dkms-install clean
