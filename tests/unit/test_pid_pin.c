/* lib/host/pid_pin: the SigBlk mask a stop reads to pick liblxc's halt signal (systemd blocks
 * SIGRTMIN+3), over real /proc/PID/status texts and this process's own status; a process's
 * end and wait status through its pidfd. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/pid_pin.h"

/* The lines around SigBlk as kernel 6.x prints them (a systemd init's masks). */
static const char *const systemd_status =
    "Name:\tsystemd\nUmask:\t0000\nState:\tS (sleeping)\nTgid:\t1\nPid:\t1\nPPid:\t0\n"
    "SigQ:\t0/95691\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
    "SigBlk:\t7be3c0fe28014a03\nSigIgn:\t0000000000001000\nSigCgt:\t00000001800004ec\n"
    "CapInh:\t0000000000000000\n";

static void test_mask_of_real_status(void **state)
{
	(void)state;
	uint64_t m = 0;
	assert_int_equal(proc_status_mask(systemd_status, "SigBlk", &m), 0);
	assert_true(m == 0x7be3c0fe28014a03ULL);
	/* SIGRTMIN+3 (37 under glibc) is bit 36: systemd blocks it and reads it from a signalfd. */
	assert_true((m >> (37 - 1)) & 1);
	assert_int_equal(proc_status_mask(systemd_status, "SigCgt", &m), 0);
	assert_true(m == 0x1800004ecULL);
}

static void test_field_is_matched_whole(void **state)
{
	(void)state;
	uint64_t m = 7;
	/* "Sig" is no field; "SigBl" must not match "SigBlk". */
	assert_int_equal(proc_status_mask(systemd_status, "Sig", &m), -1);
	assert_int_equal(proc_status_mask(systemd_status, "SigBl", &m), -1);
	assert_int_equal(proc_status_mask("", "SigBlk", &m), -1);
	assert_int_equal(proc_status_mask("Name:\tx\n", "SigBlk", &m), -1);
	assert_int_equal(m, 7);
}

static void test_malformed_masks_are_refused(void **state)
{
	(void)state;
	uint64_t m = 0;
	assert_int_equal(proc_status_mask("SigBlk:\t\n", "SigBlk", &m), -1);
	assert_int_equal(proc_status_mask("SigBlk:\t12g4\n", "SigBlk", &m), -1);
	assert_int_equal(proc_status_mask("SigBlk:\t00000000000000001\n", "SigBlk", &m), -1);
	assert_int_equal(proc_status_mask("SigBlk:\tff", "SigBlk", &m), 0);
	assert_true(m == 0xff);
}

static void test_own_blocked_signal_is_seen(void **state)
{
	(void)state;
	struct pid_pin pin;
	assert_int_equal(pid_pin_open(getpid(), 0, &pin), 0);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 3);
	/* One thread: its mask is what the status shows. */
	assert_int_equal(sigprocmask(SIG_BLOCK, &set, &old), 0);
	assert_int_equal(pid_pin_blocks_signal(&pin, SIGRTMIN + 3), 1);
	assert_int_equal(pid_pin_blocks_signal(&pin, SIGPWR), 0);
	assert_int_equal(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	assert_int_equal(pid_pin_blocks_signal(&pin, SIGRTMIN + 3), 0);
	assert_int_equal(pid_pin_blocks_signal(&pin, 65), -1);
	assert_int_equal(errno, EINVAL);
	pid_pin_close(&pin);
}

/* A child that waits for a signal, pinned in pin. */
static pid_t pinned_child(struct pid_pin *pin)
{
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	assert_true(child > 0);
	assert_int_equal(pid_pin_open(child, 0, pin), 0);
	return child;
}

/* A child's end, seen through its pidfd: the wait, then its wait status once reaped. */
static void test_exit_through_the_pidfd(void **state)
{
	(void)state;
	struct pid_pin pin;
	pid_t child = pinned_child(&pin);
	assert_int_equal(pid_pin_wait_exit(&pin, 10), -1);
	assert_int_equal(errno, ETIMEDOUT);
	int status = 0;
	assert_int_equal(pid_pin_signal(&pin, SIGTERM), 0);
	assert_int_equal(pid_pin_wait_exit(&pin, 5000), 0);
	int early = pid_pin_exit_status(&pin, &status);
	assert_int_equal(waitpid(child, NULL, 0), child);
	if (early < 0 && (errno == ENOTTY || errno == EINVAL)) {
		print_message("this kernel has no PIDFD_INFO_EXIT\n");
	} else {
		/* Not reaped yet: no status; reaped: the signal that ended it. */
		assert_int_equal(early, -1);
		assert_int_equal(errno, EAGAIN);
		assert_int_equal(pid_pin_exit_status(&pin, &status), 0);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGTERM);
	}
	pid_pin_close(&pin);
}

/* A pidfd made elsewhere (liblxc's): adopted with its pid and start time; one of a process
 * that has ended is refused. */
static void test_adopt_a_pidfd(void **state)
{
	(void)state;
	struct pid_pin by_pid, adopted;
	pid_t child = pinned_child(&by_pid);
	int fd = (int)syscall(SYS_pidfd_open, child, 0);
	assert_true(fd >= 0);
	assert_int_equal(pid_pin_adopt(fd, &adopted), 0);
	assert_int_equal(adopted.pid, child);
	assert_true(adopted.start != 0 && adopted.start == by_pid.start);
	assert_int_equal(pid_pin_signal(&by_pid, SIGKILL), 0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	int dead = dup(adopted.pidfd);
	pid_pin_close(&adopted);
	assert_int_equal(pid_pin_adopt(dead, &adopted), -1);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(adopted.pidfd, -1); /* closed */
	pid_pin_close(&by_pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mask_of_real_status),
	    cmocka_unit_test(test_field_is_matched_whole),
	    cmocka_unit_test(test_malformed_masks_are_refused),
	    cmocka_unit_test(test_own_blocked_signal_is_seen),
	    cmocka_unit_test(test_exit_through_the_pidfd),
	    cmocka_unit_test(test_adopt_a_pidfd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
