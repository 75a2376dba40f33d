#include "supervisor.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "events.h"
#include "core/log.h"
#include "container_net.h"
#include "health.h"
#include "engine/net_gate.h"
#include "rootfs_block.h"
#include "runtime.h"
#include "container_cgroup.h"
#include "store.h"

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 60000
#define BACKOFF_RESET_AFTER_MS 10000
#define EXIT_REBOOT 129
#define EXIT_HALT 130

struct watch {
	struct container *c;
	pid_t monitor;
	int pidfd;
	struct watch *prev, *next; /* g_watches, under g_watch_lock */
};

static int g_epfd = -1;
static int g_wakefd = -1;
static pthread_t g_loop_thread;
static bool g_stopping;
static pthread_mutex_t g_watch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct watch *g_watches;

static void watch_link(struct watch *w)
{
	pthread_mutex_lock(&g_watch_lock);
	w->next = g_watches;
	if (g_watches)
		g_watches->prev = w;
	g_watches = w;
	pthread_mutex_unlock(&g_watch_lock);
}

/* Unlinks, closes and frees w, dropping its container reference. */
static void watch_free(struct watch *w)
{
	pthread_mutex_lock(&g_watch_lock);
	if (w->prev)
		w->prev->next = w->next;
	else
		g_watches = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&g_watch_lock);
	epoll_ctl(g_epfd, EPOLL_CTL_DEL, w->pidfd, NULL);
	close(w->pidfd);
	store_put(w->c);
	free(w);
}

static void wake_loop(void)
{
	uint64_t one = 1;
	int fd = __atomic_load_n(&g_wakefd, __ATOMIC_ACQUIRE);
	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0)
		LOG_WARN("supervisor wake-up failed: %s", strerror(errno));
}

void supervisor_wake(void)
{
	wake_loop();
}

void supervisor_watch(struct container *c, pid_t monitor, int pidfd)
{
	struct watch *w = calloc(1, sizeof(*w));
	if (!w) {
		close(pidfd);
		return;
	}
	store_lock();
	c->refs++;
	store_unlock();
	w->c = c;
	w->monitor = monitor;
	w->pidfd = pidfd;
	watch_link(w);
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = w};
	if (epoll_ctl(g_epfd, EPOLL_CTL_ADD, pidfd, &ev) < 0) {
		LOG_ERROR("cannot watch monitor %d of %s: %s", monitor, c->id, strerror(errno));
		watch_free(w);
	}
}

static int64_t timespec_ms(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

/* Docker's rules, plus iSulad's for system containers: a halt inside never restarts, a
 * reboot restarts with on-reboot (and always). */
static bool should_restart(const struct container *c, const struct exit_record *rec)
{
	if (c->state.manually_stopped || c->removed)
		return false;
	bool system = c->host.system_container;
	if (system && rec->exit_code == EXIT_HALT && !rec->reboot)
		return false;
	switch (c->host.restart.kind) {
	case RESTART_NO:
		return false;
	case RESTART_ON_REBOOT:
		return rec->reboot;
	case RESTART_ALWAYS:
	case RESTART_UNLESS_STOPPED:
		return true;
	case RESTART_ON_FAILURE:
		return rec->exit_code != 0 && !rec->reboot &&
		       (c->host.restart.max_retries <= 0 ||
		        c->state.restart_count < c->host.restart.max_retries);
	}
	return false;
}

static void *auto_remove_thread(void *arg)
{
	struct container *c = arg;
	pthread_mutex_lock(&c->op_lock);
	store_lock();
	/* Attached clients (a foreground run) read the log to its end first (5 s at most). */
	int64_t deadline = monotonic_ms() + 5000;
	while (c->log_readers > 0 && monotonic_ms() < deadline)
		store_wait_change(deadline);
	bool gone = c->removed || c->state.status != STATUS_EXITED;
	store_unlock();
	if (!gone) {
		runtime_remove_files(c);
		store_remove(c);
		events_emit(c, "destroy", NULL);
	}
	pthread_mutex_unlock(&c->op_lock);
	store_put(c);
	return NULL;
}

static void spawn_detached(void *(*fn)(void *), struct container *c)
{
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	c->refs++; /* store lock held by the caller */
	if (pthread_create(&t, &attr, fn, c) != 0) {
		c->refs--;
		LOG_ERROR("cannot create a thread for %s", c->id);
	}
	pthread_attr_destroy(&attr);
}

/* The next restart of c, after a run of ran_ms: the delay doubles from BACKOFF_FIRST_MS up to
 * BACKOFF_MAX_MS, and starts over after a run of BACKOFF_RESET_AFTER_MS (store lock held). */
static void schedule_restart_locked(struct container *c, int64_t ran_ms)
{
	if (ran_ms >= BACKOFF_RESET_AFTER_MS || c->restart_delay_ms == 0)
		c->restart_delay_ms = BACKOFF_FIRST_MS;
	else if (c->restart_delay_ms < BACKOFF_MAX_MS)
		c->restart_delay_ms = c->restart_delay_ms * 2 > BACKOFF_MAX_MS
		                          ? BACKOFF_MAX_MS
		                          : c->restart_delay_ms * 2;
	c->state.status = STATUS_RESTARTING;
	c->state.restart_count++;
	c->restart_due_ms = monotonic_ms() + c->restart_delay_ms;
	wake_loop();
}

/* A restart that failed to start is tried again, as Docker's restart manager does, while the
 * policy would restart a failed container: a start can fail for a moment (a loaded host, a
 * busy cgroup) and must not leave an `always` container stopped for good. */
static bool retry_failed_restart(const struct container *c)
{
	struct exit_record failed = {.exit_code = 1};
	return c->host.restart.kind != RESTART_ON_REBOOT && should_restart(c, &failed);
}

/* The state an exit leaves (store lock held): what supervisor_record_exit records and what a
 * stop foresees. */
static void apply_exit_locked(struct container_state *s, int exit_code,
                              const struct timespec *finished_at)
{
	s->status = STATUS_EXITED;
	s->exit_code = exit_code;
	s->finished_at = *finished_at;
	s->pid = 0;
	s->paused = false;
	s->monitor_pid = 0;
	s->monitor_start_time = 0;
	s->monitor_boot_id[0] = '\0';
}

void supervisor_foresee_exit(struct container *c, int exit_code)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	store_lock();
	if (c->state.status == STATUS_RUNNING) {
		/* Rendered as it will be, then put back: until its monitor is done the container
		 * runs for everyone else. */
		struct container_state running = c->state;
		apply_exit_locked(&c->state, exit_code, &now);
		store_save_state_for_sync(c);
		c->state = running;
		c->foreseen_exit.valid = true;
		c->foreseen_exit.exit_code = exit_code;
		c->foreseen_exit.finished_at = now;
	}
	store_unlock();
}

void supervisor_record_exit(struct container *c, const struct exit_record *rec)
{
	/* Before the exit shows: a stop returns once the network is released, and a restart
	 * starts from nothing. */
	container_net_teardown(c);
	rootfs_block_unmount(c);
	store_lock();
	struct container_state *s = &c->state;
	struct timespec finished_at = rec->finished_at;
	if (finished_at.tv_sec == 0)
		clock_gettime(CLOCK_REALTIME, &finished_at);
	/* The time a stop saw the init end (nearer the end than the monitor's record). */
	if (c->foreseen_exit.valid && c->foreseen_exit.exit_code == rec->exit_code)
		finished_at = c->foreseen_exit.finished_at;
	c->foreseen_exit.valid = false;
	apply_exit_locked(s, rec->exit_code, &finished_at);
	c->exits++;
	health_stopped_locked(c);
	char code[16];
	snprintf(code, sizeof(code), "%d", rec->exit_code);
	events_emit_locked(c, "die", "exitCode", code, NULL);
	c->init_start = 0;
	if (should_restart(c, rec)) {
		schedule_restart_locked(c,
		                        timespec_ms(&s->finished_at) - timespec_ms(&s->started_at));
		LOG_INFO("container %s exited (%d), restarting in %lld ms", c->id, rec->exit_code,
		         (long long)c->restart_delay_ms);
	} else if (c->host.auto_remove && !c->removed) {
		spawn_detached(auto_remove_thread, c);
	}
	/* Not synced: after a power loss every container has ended anyway. A stop waiting for
	 * this exit writes it itself, synced, as what it acknowledges. */
	if (c->stop_syncs > 0)
		store_save_state_for_sync(c);
	else
		store_save_state_unsynced(c);
	store_broadcast();
	store_unlock();
}

void supervisor_cancel_restart_locked(struct container *c)
{
	c->restart_due_ms = 0;
	if (c->state.status == STATUS_RESTARTING)
		c->state.status = STATUS_EXITED;
}

static void *restart_thread(void *arg)
{
	struct container *c = arg;
	pthread_mutex_lock(&c->op_lock);
	store_lock();
	bool go = !c->removed && c->state.status == STATUS_RESTARTING && !c->state.manually_stopped;
	store_unlock();
	if (go) {
		char err[1024] = "";
		if (runtime_start(c, err, sizeof(err)) < 0) {
			store_lock();
			if (c->state.status == STATUS_RESTARTING && retry_failed_restart(c)) {
				schedule_restart_locked(c, 0);
				LOG_ERROR("restart of %s failed: %s; trying again in %lld ms",
				          c->id, err, (long long)c->restart_delay_ms);
			} else {
				LOG_ERROR("restart of %s failed: %s", c->id, err);
				if (c->state.status == STATUS_RESTARTING)
					c->state.status = STATUS_EXITED;
			}
			store_save_state(c);
			store_broadcast();
			store_unlock();
		}
	}
	pthread_mutex_unlock(&c->op_lock);
	store_put(c);
	return NULL;
}

static void keep_earliest(int64_t *next, int64_t in_ms)
{
	if (in_ms >= 0 && (*next < 0 || in_ms < *next))
		*next = in_ms;
}

/* Starts due restarts and health checks; returns the ms until the next one, or -1. */
static int run_due_timers(void)
{
	size_t n;
	struct container **all = store_list(&n);
	int64_t now = monotonic_ms(), next = -1;
	store_lock();
	for (size_t i = 0; i < n; i++) {
		struct container *c = all[i];
		keep_earliest(&next, health_run_due_locked(c, now));
		if (c->restart_due_ms == 0)
			continue;
		if (c->restart_due_ms <= now) {
			c->restart_due_ms = 0;
			spawn_detached(restart_thread, c);
		} else {
			keep_earliest(&next, c->restart_due_ms - now);
		}
	}
	store_unlock();
	store_put_all(all, n);
	return next > INT_MAX ? INT_MAX : (int)next;
}

static void handle_monitor_exit(struct watch *w)
{
	waitpid(w->monitor, NULL, WNOHANG);
	char *state_dir = store_state_dir(w->c->id);
	struct exit_record rec;
	if (!state_dir || exit_record_read(state_dir, &rec) < 0) {
		/* The monitor died without a record (killed): its container died with it. */
		memset(&rec, 0, sizeof(rec));
		rec.exit_code = 137;
		clock_gettime(CLOCK_REALTIME, &rec.finished_at);
		LOG_WARN("monitor %d of %s exited without an exit record", w->monitor, w->c->id);
	}
	free(state_dir);
	supervisor_record_exit(w->c, &rec);
	watch_free(w);
}

static void *supervisor_loop(void *arg)
{
	struct epoll_event events[32];
	while (!__atomic_load_n(&g_stopping, __ATOMIC_ACQUIRE)) {
		int timeout = run_due_timers();
		int n = epoll_wait(g_epfd, events, 32, timeout);
		for (int i = 0; i < n; i++) {
			if (events[i].data.ptr == NULL) {
				uint64_t v;
				if (read(g_wakefd, &v, sizeof(v)) < 0 && errno != EAGAIN)
					LOG_WARN("supervisor wake read: %s", strerror(errno));
				continue;
			}
			handle_monitor_exit(events[i].data.ptr);
		}
	}
	return NULL;
}

int supervisor_start(void)
{
	g_runtime.watch = supervisor_watch;
	g_runtime.exited = supervisor_record_exit;
	g_epfd = epoll_create1(EPOLL_CLOEXEC);
	g_wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (g_epfd < 0 || g_wakefd < 0)
		return -1;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	if (epoll_ctl(g_epfd, EPOLL_CTL_ADD, g_wakefd, &ev) < 0)
		return -1;
	return pthread_create(&g_loop_thread, NULL, supervisor_loop, NULL) == 0 ? 0 : -1;
}

void supervisor_stop(void)
{
	__atomic_store_n(&g_stopping, true, __ATOMIC_RELEASE);
	wake_loop();
	pthread_join(g_loop_thread, NULL);
	/* The monitors go on without us; the next daemon reattaches to them. */
	while (g_watches)
		watch_free(g_watches);
	close(g_epfd);
	/* A health check finishing during the shutdown may still wake us: not on a closed fd. */
	close(__atomic_exchange_n(&g_wakefd, -1, __ATOMIC_ACQ_REL));
}

/* A start on a CNI network whose daemon was killed during the ADD: its init waits for a gate
 * nobody opens, and liblxc answers no command until the start timeout (the restore would wait
 * as long). That start was never answered: it fails now. */
static void abandon_net_gate(const struct container *c)
{
	char *ns = container_net_ns_path(c->id);
	char *state_dir = ns && path_exists(ns) ? store_state_dir(c->id) : NULL;
	if (state_dir &&
	    net_gate_abandon(state_dir, "the daemon restarted during the network setup") == 1)
		LOG_WARN("container %s: its start was cut by a daemon restart during the network "
		         "setup: it fails",
		         c->id);
	free(state_dir);
	free(ns);
}

static void restore_one(struct container *c)
{
	store_lock();
	pid_t monitor = c->state.monitor_pid;
	unsigned long long start = c->state.monitor_start_time;
	bool was_running = c->state.status == STATUS_RUNNING;
	/* A record of another boot: its pid and start time may well name a process of this
	 * boot (early pids and start times repeat from boot to boot), never its monitor. */
	bool this_boot = boot_id_is_current(c->state.monitor_boot_id);
	store_unlock();
	if (monitor > 0 && !this_boot)
		LOG_WARN("container %s: its monitor %d ran in another boot: not reattached", c->id,
		         monitor);
	/* The pidfd first, then the start time: a monitor pid reused in between is refused. */
	struct pid_pin pin;
	if (this_boot && monitor > 0 && start != 0 && pid_pin_open(monitor, start, &pin) == 0) {
		abandon_net_gate(c);
		pid_t init_pid = runtime_init_pid(c->id);
		store_lock();
		if (init_pid > 0) {
			c->state.status = STATUS_RUNNING;
			c->state.pid = init_pid;
			health_started_locked(c); /* starting again, as the seed says */
		}
		store_save_state(c);
		store_unlock();
		container_net_load(c);
		container_thaw_stray(c);
		supervisor_watch(c, monitor, pin.pidfd);
		LOG_INFO("reattached to %s (monitor %d)", c->id, monitor);
		return;
	}
	if (monitor <= 0 && !was_running) {
		container_net_teardown(c); /* a daemon killed during a start or a DEL */
		rootfs_block_unmount(c);
		return;
	}
	char *state_dir = store_state_dir(c->id);
	struct exit_record rec;
	if (!state_dir || exit_record_read(state_dir, &rec) < 0) {
		memset(&rec, 0, sizeof(rec));
		rec.exit_code = 137;
		clock_gettime(CLOCK_REALTIME, &rec.finished_at);
	}
	free(state_dir);
	LOG_INFO("container %s exited while the daemon was down (%d)", c->id, rec.exit_code);
	supervisor_record_exit(c, &rec);
}

void supervisor_restore_all(void)
{
	size_t n;
	struct container **all = store_list(&n);
	for (size_t i = 0; i < n; i++)
		restore_one(all[i]);
	store_put_all(all, n);
}
