#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds module/table.c for userspace and runs the differential test.
set -eu
cd "$(dirname "$0")"
${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -O1 -g \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-I../../include/uapi -I../../include -I../../module \
	table_test.c ../../module/table.c ../../module/table6.c \
	../../module/decision.c -o table_test
./table_test "${ROUNDS:-300}"
