// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's starting point (user/model.h): IOMMU groups, their type,
 * members and reserved regions, and each PCI device's group and driver,
 * read from sysfs; and the same as JSON, which recordings carry.
 *
 * What sysfs does not say (which domain a group is on, what is mapped)
 * stays unknown until an event tells it: the model marks snapshot facts
 * M_SNAPSHOT and judges no mapping of a domain it did not see allocated.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model/model.h"

/* snprintf for paths: -ENAMETOOLONG when it does not fit. */
static int pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The first line of a file, without its newline; 0 or -errno. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		err = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!err)
		buf[strcspn(buf, "\n")] = 0;
	return err;
}

/* The last component of a symlink's target ("vfio-pci", "7"); 0 or -errno. */
static int link_base(const char *path, char *buf, size_t len)
{
	char t[PATH_MAX];
	ssize_t n = readlink(path, t, sizeof(t) - 1);
	const char *b;

	if (n < 0)
		return -errno;
	t[n] = 0;
	b = strrchr(t, '/');
	b = b ? b + 1 : t;
	if (strlen(b) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, b);
	return 0;
}

/* "0x00000000fee00000 0x00000000feefffff msi" lines. */
static void read_resv(struct model *m, struct m_group *g, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[128];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;
		char type[sizeof(g->resv[0].type)];

		if (sscanf(line, "%llx %llx %19s", &s, &e, type) == 3 && e >= s)
			group_add_resv(m, g, s, e, type);
	}
	fclose(f);
}

static int snap_group(struct model *m, const char *dir, __s32 id)
{
	struct m_group *g = group_get(m, id);
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (!g)
		return -ENOMEM;
	g->known |= M_SNAPSHOT;
	if (!pathf(path, sizeof(path), "%s/type", dir))
		read_line(path, g->type, sizeof(g->type));
	if (!pathf(path, sizeof(path), "%s/reserved_regions", dir))
		read_resv(m, g, path);
	d = pathf(path, sizeof(path), "%s/devices", dir) ? NULL : opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		struct m_device *dev;

		if (de->d_name[0] == '.')
			continue;
		dev = device_get(m, de->d_name);
		if (!dev) {
			closedir(d);
			return -ENOMEM;
		}
		dev->known |= M_SNAPSHOT;
		group_add_member(m, g, dev);
		m->snap_devices++;
	}
	closedir(d);
	m->snap_groups++;
	return 0;
}

/* PCI devices' drivers (and groups, for devices not found above). */
static void snap_pci(struct model *m, const char *root)
{
	char path[PATH_MAX], val[64];
	struct dirent *de;
	DIR *d;

	d = pathf(path, sizeof(path), "%s/sys/bus/pci/devices", root) ? NULL : opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		struct m_device *dev;

		if (de->d_name[0] == '.')
			continue;
		if (pathf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/iommu_group", root, de->d_name) ||
		    link_base(path, val, sizeof(val)))
			continue;	/* no IOMMU group: not ours */
		dev = device_get(m, de->d_name);
		if (!dev)
			break;
		dev->known |= M_SNAPSHOT;
		if (dev->group_id < 0) {
			struct m_group *g = group_get(m, atoi(val));

			if (g)
				group_add_member(m, g, dev);
		}
		if (pathf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/driver", root, de->d_name) ||
		    link_base(path, dev->driver, sizeof(dev->driver)))
			dev->driver[0] = 0;
	}
	closedir(d);
}

int model_snapshot(struct model *m, const char *root)
{
	char path[PATH_MAX], dir[PATH_MAX];
	struct dirent *de;
	int err = 0;
	DIR *d;

	if (!root || !strcmp(root, "/"))
		root = "";
	if (pathf(path, sizeof(path), "%s/sys/kernel/iommu_groups", root))
		return -ENAMETOOLONG;
	d = opendir(path);
	if (!d)
		return -errno;
	while (!err && (de = readdir(d))) {
		char *end;
		long id = strtol(de->d_name, &end, 10);

		if (de->d_name[0] == '.' || *end || id < 0 || id > INT32_MAX)
			continue;
		if (!pathf(dir, sizeof(dir), "%s/%s", path, de->d_name))
			err = snap_group(m, dir, id);
	}
	closedir(d);
	if (!err)
		snap_pci(m, root);
	m->snapshot_taken = !err;
	return err;
}

/* --- JSON ----------------------------------------------------------------- */

json_object *model_snapshot_json(const struct model *m)
{
	json_object *j = json_object_new_object(), *groups = json_object_new_array();
	const struct m_group *g;
	size_t pos = 0;
	int i;

	if (!j || !groups)
		goto nomem;
	json_object_object_add(j, "all_domains", json_object_new_boolean(m->o.all_domains));
	json_object_object_add(j, "groups", groups);
	while ((g = htab_next(&m->groups, &pos, NULL))) {
		json_object *jg = json_object_new_object(), *devs = json_object_new_array(),
			    *resv = json_object_new_array();

		if (!jg || !devs || !resv) {
			json_object_put(jg);
			json_object_put(devs);
			json_object_put(resv);
			goto nomem;
		}
		json_object_array_add(groups, jg);
		json_object_object_add(jg, "id", json_object_new_int(g->id));
		json_object_object_add(jg, "type", json_object_new_string(g->type));
		json_object_object_add(jg, "devices", devs);
		json_object_object_add(jg, "reserved_regions", resv);
		for (i = 0; i < g->nmembers; i++) {
			json_object *jd = json_object_new_object();

			if (!jd)
				goto nomem;
			json_object_array_add(devs, jd);
			json_object_object_add(jd, "name", json_object_new_string(g->members[i]->name));
			json_object_object_add(jd, "driver", json_object_new_string(g->members[i]->driver));
		}
		for (i = 0; i < g->nresv; i++) {
			json_object *jr = json_object_new_object();

			if (!jr)
				goto nomem;
			json_object_array_add(resv, jr);
			json_object_object_add(jr, "start", json_object_new_uint64(g->resv[i].start));
			json_object_object_add(jr, "last", json_object_new_uint64(g->resv[i].last));
			json_object_object_add(jr, "type", json_object_new_string(g->resv[i].type));
		}
	}
	return j;
nomem:
	if (!json_object_object_get_ex(j, "groups", NULL))
		json_object_put(groups);
	json_object_put(j);
	return NULL;
}

static const char *jstr(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static bool jarray(json_object *o, const char *k, json_object **v)
{
	return json_object_object_get_ex(o, k, v) && json_object_is_type(*v, json_type_array);
}

/*
 * The whole snapshot checked before any of it is loaded (all or nothing):
 * 0, -EINVAL malformed, -E2BIG past the bounds of model.h; why says which.
 */
static int snap_check(json_object *snap, char *why, size_t whylen)
{
	size_t i, j, ngroups, ndevices = 0;
	json_object *groups, *v;

	if (!json_object_is_type(snap, json_type_object) || !jarray(snap, "groups", &groups)) {
		snprintf(why, whylen, "no \"groups\" array");
		return -EINVAL;
	}
	ngroups = json_object_array_length(groups);
	if (ngroups > MODEL_SNAP_MAX_GROUPS) {
		snprintf(why, whylen, "%zu groups, at most %d", ngroups, MODEL_SNAP_MAX_GROUPS);
		return -E2BIG;
	}
	for (i = 0; i < ngroups; i++) {
		json_object *jg = json_object_array_get_idx(groups, i), *devs, *resv;

		if (!json_object_object_get_ex(jg, "id", &v) || !json_object_is_type(v, json_type_int) ||
		    json_object_get_int64(v) < 0 || json_object_get_int64(v) > INT32_MAX) {
			snprintf(why, whylen, "group #%zu: no valid \"id\"", i);
			return -EINVAL;
		}
		if (jarray(jg, "devices", &devs))
			for (j = 0; j < json_object_array_length(devs); j++) {
				const char *name = jstr(json_object_array_get_idx(devs, j), "name");

				if (!name || !*name) {
					snprintf(why, whylen, "group #%zu, device #%zu: no \"name\"", i, j);
					return -EINVAL;
				}
				if (++ndevices > MODEL_SNAP_MAX_DEVICES) {
					snprintf(why, whylen, "more than %d devices", MODEL_SNAP_MAX_DEVICES);
					return -E2BIG;
				}
			}
		if (jarray(jg, "reserved_regions", &resv))
			for (j = 0; j < json_object_array_length(resv); j++) {
				json_object *jr = json_object_array_get_idx(resv, j), *a, *b;

				if (!json_object_object_get_ex(jr, "start", &a) ||
				    !json_object_object_get_ex(jr, "last", &b) || !jstr(jr, "type") ||
				    json_object_get_uint64(b) < json_object_get_uint64(a)) {
					snprintf(why, whylen, "group #%zu, reserved region #%zu: malformed", i, j);
					return -EINVAL;
				}
			}
	}
	return 0;
}

/* Load a checked snapshot; 0 or -ENOMEM. */
static int snap_apply(struct model *m, json_object *snap)
{
	json_object *groups, *v;
	size_t i, j, n;

	if (json_object_object_get_ex(snap, "all_domains", &v))
		m->o.all_domains = json_object_get_boolean(v);
	json_object_object_get_ex(snap, "groups", &groups);
	n = json_object_array_length(groups);
	for (i = 0; i < n; i++) {
		json_object *jg = json_object_array_get_idx(groups, i), *devs, *resv, *id;
		struct m_group *g;
		const char *s;

		json_object_object_get_ex(jg, "id", &id);
		g = group_get(m, json_object_get_int(id));
		if (!g)
			return -ENOMEM;
		g->known |= M_SNAPSHOT;
		m->snap_groups++;
		if ((s = jstr(jg, "type")))
			snprintf(g->type, sizeof(g->type), "%s", s);
		if (jarray(jg, "devices", &devs))
			for (j = 0; j < json_object_array_length(devs); j++) {
				json_object *jd = json_object_array_get_idx(devs, j);
				struct m_device *d = device_get(m, jstr(jd, "name"));

				if (!d)
					return -ENOMEM;
				d->known |= M_SNAPSHOT;
				if ((s = jstr(jd, "driver")))
					snprintf(d->driver, sizeof(d->driver), "%s", s);
				group_add_member(m, g, d);
				m->snap_devices++;
			}
		if (jarray(jg, "reserved_regions", &resv))
			for (j = 0; j < json_object_array_length(resv); j++) {
				json_object *jr = json_object_array_get_idx(resv, j), *a, *b;

				json_object_object_get_ex(jr, "start", &a);
				json_object_object_get_ex(jr, "last", &b);
				group_add_resv(m, g, json_object_get_uint64(a), json_object_get_uint64(b),
					       jstr(jr, "type"));
			}
	}
	m->snapshot_taken = true;
	return 0;
}

int model_snapshot_load_why(struct model *m, json_object *snap, char *why, size_t whylen)
{
	int err = snap_check(snap, why, whylen);

	return err ?: snap_apply(m, snap);
}

int model_snapshot_load(struct model *m, json_object *snap)
{
	char why[96];

	return model_snapshot_load_why(m, snap, why, sizeof(why));
}

/*
 * Bounds of what json-c would allocate for text, before it parses: values
 * (at most one per ',', ':', '[' and '{', plus one) and objects (at most
 * one per '{'; each has its own hash table).
 */
static void json_bounds(const char *s, size_t len, size_t *values, size_t *objects)
{
	size_t i;

	*values = 1;
	*objects = 0;
	for (i = 0; i < len; i++) {
		*values += s[i] == ',' || s[i] == ':' || s[i] == '[' || s[i] == '{';
		*objects += s[i] == '{';
	}
}

int model_snapshot_text(struct model *m, const char *s, size_t len, char *why, size_t whylen)
{
	struct json_tokener *tok;
	size_t n, nobj;
	json_object *j;
	int err;

	if (m->snap_frames++) {
		snprintf(why, whylen, "a second snapshot: ignored (the first is the recording's start)");
		return -EEXIST;
	}
	if (len > MODEL_SNAP_MAX_BYTES) {
		snprintf(why, whylen, "%zu bytes, at most %d: ignored", len, MODEL_SNAP_MAX_BYTES);
		return -E2BIG;
	}
	json_bounds(s, len, &n, &nobj);
	if (n > MODEL_SNAP_MAX_VALUES || nobj > MODEL_SNAP_MAX_OBJECTS) {
		snprintf(why, whylen, "%zu JSON values and %zu objects, at most %d and %d: ignored",
			 n, nobj, MODEL_SNAP_MAX_VALUES, MODEL_SNAP_MAX_OBJECTS);
		return -E2BIG;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	j = json_tokener_parse_ex(tok, s, len);
	json_tokener_free(tok);
	if (!j) {
		snprintf(why, whylen, "not valid JSON: ignored");
		return -EINVAL;
	}
	err = model_snapshot_load_why(m, j, why, whylen);
	json_object_put(j);
	if (err == -EINVAL || err == -E2BIG) {
		n = strlen(why);
		snprintf(why + n, whylen - n, ": ignored");
	}
	return err;
}
