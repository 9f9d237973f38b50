// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel confirmation of findings (check/confirm.c): a finding of a rule
 * with a kernel check is confirmed or refuted by what the kernel's view
 * answers, unavailable without the shim, and says nothing when not asked
 * (a recording).
 */
#include <string.h>
#include "model_fixture.h"

TestSuite(check_confirm, .init = setup, .fini = teardown);

/* A fake kernel view: what the kfuncs would answer. */
static struct itr_kview answer;
static struct itr_kview asked;
static int answer_err;

static int fake_kview(void *arg, struct itr_kview *q)
{
	(void)arg;
	asked = *q;
	if (answer_err)
		return answer_err;
	q->dev_domain = answer.dev_domain;
	q->pasid_domain = answer.pasid_domain;
	q->done = 1;
	return 0;
}

/* The aux-domain debates: RID on DA, DA also on PASID 3, RID detached. */
static void ambiguous(void)
{
	attach(DEV_A, 1, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	attach_k(ITR_EV_DETACH, DEV_A, 1, DDEF, ITR_DOM_DMA, DA, 50, FILE_A);
}

Test(check_confirm, confirmed_when_the_kernel_agrees)
{
	memset(&answer, 0, sizeof(answer));
	answer_err = 0;
	answer.dev_domain = DDEF;	/* the RID left DA */
	answer.pasid_domain = DA;	/* the PASID kept it */
	checker_set_kview(&C, fake_kview, NULL);
	ambiguous();
	cr_assert_eq(count(R_DETACH_AMBIGUOUS), 1);
	cr_assert_eq(first(R_DETACH_AMBIGUOUS)->kernel, FK_CONFIRMED);
	cr_assert_str_eq(asked.dev, DEV_A);
	cr_assert_eq(asked.pasid, 3);
}

Test(check_confirm, refuted_when_the_kernel_disagrees)
{
	memset(&answer, 0, sizeof(answer));
	answer_err = 0;
	answer.dev_domain = DDEF;
	answer.pasid_domain = 0;	/* the PASID went too */
	checker_set_kview(&C, fake_kview, NULL);
	ambiguous();
	cr_assert_eq(first(R_DETACH_AMBIGUOUS)->kernel, FK_REFUTED);
}

Test(check_confirm, unavailable_without_the_shim)
{
	checker_set_kview(&C, NULL, NULL);
	ambiguous();
	cr_assert_eq(first(R_DETACH_AMBIGUOUS)->kernel, FK_UNAVAILABLE);
}

Test(check_confirm, unavailable_when_the_query_fails)
{
	answer_err = -ENOENT;
	checker_set_kview(&C, fake_kview, NULL);
	ambiguous();
	cr_assert_eq(first(R_DETACH_AMBIGUOUS)->kernel, FK_UNAVAILABLE);
	answer_err = 0;
}

Test(check_confirm, silent_when_not_asked)
{
	ambiguous();
	cr_assert_eq(first(R_DETACH_AMBIGUOUS)->kernel, FK_NONE);
}

Test(check_confirm, rules_without_a_check_are_not_asked)
{
	memset(&asked, 0, sizeof(asked));
	checker_set_kview(&C, fake_kview, NULL);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 0);
	cr_assert_eq(count(R_PASID_REUSE), 1);
	cr_assert_eq(first(R_PASID_REUSE)->kernel, FK_NONE);
	cr_assert_str_eq(asked.dev, "");
}

Test(check_confirm, text_and_json_say_it)
{
	struct finding f;
	json_object *j;
	char buf[1024] = "";
	FILE *out = fmemopen(buf, sizeof(buf), "w");

	checker_set_kview(&C, NULL, NULL);
	ambiguous();
	f = *first(R_DETACH_AMBIGUOUS);
	f.kernel = FK_CONFIRMED;
	cr_assert_eq(finding_text(out, &f, 0), 0);
	fclose(out);
	cr_assert(strstr(buf, "(confirmed by kernel)\n"), "%s", buf);
	j = finding_json(&f);
	cr_assert_str_eq(json_object_get_string(json_object_object_get(j, "kernel")), "confirmed");
	json_object_put(j);
}
