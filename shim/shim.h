/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommutrace_shim: the module's private header. main.c (init, exit, the
 * log), misc.c (the misc device and its ioctl table), aux.c (the
 * auxiliary-domain helpers), kfunc.c (the kernel's view for BPF), strict.c
 * (the strict enforcement tier).
 * The ioctl ABI: include/iommutrace_shim.h.
 */
#ifndef SHIM_H
#define SHIM_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include "iommutrace_shim.h"

/* One open fd of the misc device. */
struct shim_file {
	struct list_head domains;	/* its ITR_SHIM_TRANSIENT domains (shim_domain.fnode) */
};

/* main.c */
extern struct mutex shim_lock;	/* every aux.c state change and walk */
extern struct miscdevice shim_misc;
/*
 * The shim's own log (dmesg), one line per operation, every field always:
 * "iommutrace_shim: op=OP dev=NAME domain=N old=N pasid=P iova=N length=N ret=R"
 * (old: the domain a replace moved the PASID from).
 */
struct shim_logrec {
	const char *op;
	const struct device *dev;
	u32 domain, old, pasid;
	u64 iova, length;
	int ret;
};
void shim_log(const struct shim_logrec *r);
/* Fill msg (ITR_SHIM_MSG_LEN) and return err. */
int shim_why(char *msg, int err, const char *fmt, ...) __printf(3, 4);

/* misc.c */
int shim_misc_init(void);
void shim_misc_exit(void);

/* aux.c: each takes shim_lock itself */
int shim_aux_alloc(struct shim_file *f, struct itr_shim_cmd *c);
int shim_aux_attach(struct shim_file *f, struct itr_shim_cmd *c);
int shim_aux_detach(struct shim_file *f, struct itr_shim_cmd *c);
int shim_aux_replace(struct shim_file *f, struct itr_shim_cmd *c);
int shim_aux_map(struct shim_file *f, struct itr_shim_cmd *c);
int shim_aux_unmap(struct shim_file *f, struct itr_shim_cmd *c);
int shim_aux_free(struct shim_file *f, struct itr_shim_cmd *c);
int shim_aux_list(struct shim_file *f, struct itr_shim_list *l);
void shim_aux_status(struct itr_shim_status *s);
/* Undo every domain of f (its fd closed), or every domain (f NULL: unload). */
void shim_aux_release(struct shim_file *f);
/* A device by its name (a reference, put_device() it) or NULL with msg set. */
struct device *shim_dev_get(const char *name, char *msg, int *err);

/* kfunc.c */
int shim_kfunc_init(void);
extern bool shim_kfuncs_ok;

/* strict.c: the strict enforcement tier (each takes its own lock) */
int shim_strict_arm(struct itr_shim_strict *s);
int shim_strict_disarm(struct itr_shim_strict *s);
int shim_strict_status(struct itr_shim_strict *s);
noinline int itr_shim_strict_decide(const struct itr_shim_strict_call *call);
int itr_shim_strict_verdict(s32 err);	/* a kfunc */

#endif
