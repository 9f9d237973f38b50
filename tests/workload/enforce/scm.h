/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The enforcement probes' fd passing over a unix socket (SCM_RIGHTS): the
 * "passed fd" door every open and device rule is tried through
 * (enfprobe, memprobe, devprobe).
 */
#ifndef ITR_ENFORCE_SCM_H
#define ITR_ENFORCE_SCM_H

#include <string.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Send FD over SOCK: 0, or -1 (errno). */
static inline int scm_send_fd(int sock, int fd)
{
	char data = 'x', cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec io = { &data, 1 };
	struct msghdr mh = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) < 0 ? -1 : 0;
}

/*
 * Receive an fd from SOCK into *FD: 0; 1 when none arrived (the kernel
 * refused to install it: MSG_CTRUNC, what a denied file_receive gives);
 * -1 when the message itself could not be read.
 */
static inline int scm_recv_fd(int sock, int *fd)
{
	char data, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec io = { &data, 1 };
	struct msghdr mh = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	if (recvmsg(sock, &mh, 0) < 0)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS || (mh.msg_flags & MSG_CTRUNC))
		return 1;
	memcpy(fd, CMSG_DATA(cm), sizeof(int));
	return 0;
}

/*
 * Hand FD to a child process named COMM (its comm, what policies match)
 * over a unix socket: 0 when the child received it, 1 when the kernel
 * refused to install it, -1 when the passing itself failed (errno).
 */
static inline int scm_pass_to_child(int fd, const char *comm)
{
	int sv[2], st;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int got, r;

		close(fd);
		prctl(PR_SET_NAME, comm);
		r = scm_recv_fd(sv[1], &got);
		_exit(r < 0 ? 2 : r);
	}
	close(sv[1]);
	if (scm_send_fd(sv[0], fd)) {
		close(sv[0]);
		waitpid(pid, &st, 0);
		return -1;
	}
	close(sv[0]);
	waitpid(pid, &st, 0);
	st = WIFEXITED(st) ? WEXITSTATUS(st) : 3;
	return st == 0 || st == 1 ? st : -1;
}

#endif
