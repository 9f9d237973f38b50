// SPDX-License-Identifier: GPL-2.0
/*
 * The misc device /dev/iommutrace_shim (root only) and its ioctl table,
 * keyed by the command's number: the argument's size and its handler.
 * Every argument is copied in whole, its size checked, and copied back
 * (with msg) whether the command worked or not.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "shim.h"

union shim_arg {
	struct itr_shim_cmd cmd;
	struct itr_shim_list list;
	struct itr_shim_status status;
	struct itr_shim_strict strict;
};

static int op_status(struct shim_file *f, union shim_arg *a)
{
	a->status.abi = ITR_SHIM_ABI;
	a->status.kfuncs = shim_kfuncs_ok;
	shim_aux_status(&a->status);
	return 0;
}

#define CMD_OP(name) \
	static int op_##name(struct shim_file *f, union shim_arg *a) \
	{ return shim_aux_##name(f, &a->cmd); }
CMD_OP(alloc)
CMD_OP(attach)
CMD_OP(detach)
CMD_OP(replace)
CMD_OP(map)
CMD_OP(unmap)
CMD_OP(free)

static int op_list(struct shim_file *f, union shim_arg *a)
{
	return shim_aux_list(f, &a->list);
}

#define STRICT_OP(name) \
	static int op_strict_##name(struct shim_file *f, union shim_arg *a) \
	{ return shim_strict_##name(&a->strict); }
STRICT_OP(arm)
STRICT_OP(disarm)
STRICT_OP(status)

static const struct shim_ioctl_op {
	unsigned int cmd;
	u32 size;
	int (*fn)(struct shim_file *f, union shim_arg *a);
} shim_ops[] = {
#define OP(nr, c, type, fn) [ITR_SHIM_NR_##nr - ITR_SHIM_NR_STATUS] = { c, sizeof(type), fn }
	OP(STATUS, ITR_SHIM_STATUS, struct itr_shim_status, op_status),
	OP(ALLOC, ITR_SHIM_ALLOC, struct itr_shim_cmd, op_alloc),
	OP(ATTACH, ITR_SHIM_ATTACH, struct itr_shim_cmd, op_attach),
	OP(DETACH, ITR_SHIM_DETACH, struct itr_shim_cmd, op_detach),
	OP(REPLACE, ITR_SHIM_REPLACE, struct itr_shim_cmd, op_replace),
	OP(MAP, ITR_SHIM_MAP, struct itr_shim_cmd, op_map),
	OP(UNMAP, ITR_SHIM_UNMAP, struct itr_shim_cmd, op_unmap),
	OP(LIST, ITR_SHIM_LIST, struct itr_shim_list, op_list),
	OP(FREE, ITR_SHIM_FREE, struct itr_shim_cmd, op_free),
	OP(STRICT_ARM, ITR_SHIM_STRICT_ARM, struct itr_shim_strict, op_strict_arm),
	OP(STRICT_DISARM, ITR_SHIM_STRICT_DISARM, struct itr_shim_strict, op_strict_disarm),
	OP(STRICT_STATUS, ITR_SHIM_STRICT_STATUS, struct itr_shim_strict, op_strict_status),
#undef OP
};

static long shim_ioctl(struct file *file, unsigned int cmd, unsigned long uarg)
{
	unsigned int nr = _IOC_NR(cmd) - ITR_SHIM_NR_STATUS;
	const struct shim_ioctl_op *op;
	union shim_arg *a;
	u32 size;
	long ret;

	if (_IOC_TYPE(cmd) != ITR_SHIM_IOC || _IOC_NR(cmd) < ITR_SHIM_NR_STATUS ||
	    nr >= ARRAY_SIZE(shim_ops) || shim_ops[nr].cmd != cmd)
		return -ENOTTY;
	op = &shim_ops[nr];
	if (get_user(size, (u32 __user *)uarg))
		return -EFAULT;
	if (size != op->size)
		return -EINVAL;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	if (copy_from_user(a, (void __user *)uarg, size)) {
		ret = -EFAULT;
		goto out_free;
	}
	/* inputs only: what the kernel fills starts clean */
	if (op->size == sizeof(struct itr_shim_cmd)) {
		if (a->cmd.pad) {
			ret = -EINVAL;
			goto out_free;
		}
		memset(a->cmd.msg, 0, sizeof(a->cmd.msg));
	} else if (op->size == sizeof(struct itr_shim_strict)) {
		if (a->strict.pad) {
			ret = -EINVAL;
			goto out_free;
		}
		memset(a->strict.msg, 0, sizeof(a->strict.msg));
	} else if (op->size == sizeof(struct itr_shim_list)) {
		a->list.n = 0;
		memset(a->list.e, 0, sizeof(a->list.e));
		memset(a->list.msg, 0, sizeof(a->list.msg));
	}
	ret = op->fn(file->private_data, a);
	if (copy_to_user((void __user *)uarg, a, size) && !ret)
		ret = -EFAULT;
out_free:
	kfree(a);
	return ret;
}

static int shim_open(struct inode *inode, struct file *file)
{
	struct shim_file *f;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	INIT_LIST_HEAD(&f->domains);
	file->private_data = f;
	return 0;
}

static int shim_release(struct inode *inode, struct file *file)
{
	struct shim_file *f = file->private_data;

	shim_aux_release(f);
	kfree(f);
	return 0;
}

static const struct file_operations shim_fops = {
	.owner = THIS_MODULE,
	.open = shim_open,
	.release = shim_release,
	.unlocked_ioctl = shim_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

struct miscdevice shim_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = ITR_SHIM_NAME,
	.fops = &shim_fops,
	.mode = 0600,
};

int shim_misc_init(void)
{
	return misc_register(&shim_misc);
}

void shim_misc_exit(void)
{
	misc_deregister(&shim_misc);
}
