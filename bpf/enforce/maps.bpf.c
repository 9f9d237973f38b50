// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The enforcement maps (include/iommutrace_enforce.h), pinned by the
 * daemon under ITR_ENF_PIN_DIR, and the rule names it keeps beside them
 * for --status (user space only).
 */
#include "enforce/enforce.bpf.h"

struct enf_policy_map enf_policy SEC(".maps");
struct enf_active_map enf_active SEC(".maps");
struct enf_counters_map enf_counters SEC(".maps");
struct enf_audit_map enf_audit SEC(".maps");
struct enf_alert_map enf_alert SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ITR_ENF_NCOUNTERS);
	__type(key, __u32);
	__type(value, char[ITR_ENF_NAME_LEN]);
} enf_names SEC(".maps");

/*
 * The audit record's layout, named in the programs' BTF: a daemon adopting
 * pinned programs compares its size with its own (user/enforce/abi.c).
 */
struct itr_enf_audit *enf_audit_layout;

char LICENSE[] SEC("license") = "Dual BSD/GPL";
