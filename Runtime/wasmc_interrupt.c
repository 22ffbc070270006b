// Interruption: the interrupt groups' words, the registry of threads that entered wasm and of
// the address ranges of loaded modules' code, and the watchdog thread that signals the
// threads of an interrupted group until their calls have ended. The signal's handler is in
// wasmc_trap.c, beside the fault handler.
#define _GNU_SOURCE
#include "wasmc_internal.h"
#include <link.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

// ---- Code of loaded modules (read by the signal handler: lock-free) ------------------------

static wasmc_range_set code_ranges;

int wasmc_code_register(const void *lo, const void *hi) {
    return wasmc_range_add(&code_ranges, (uintptr_t)lo, (uintptr_t)hi);
}

void wasmc_code_unregister(int slot) { wasmc_range_remove(&code_ranges, slot); }

int wasmc_address_in_code(uintptr_t pc) { return wasmc_range_contains(&code_ranges, pc); }

typedef struct object_search {
    uintptr_t symbol, lo, hi;
} object_search;

static int find_object_code(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    object_search *search = data;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    int contains = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD) continue;
        uintptr_t start = info->dlpi_addr + ph->p_vaddr, end = start + ph->p_memsz;
        if (search->symbol >= start && search->symbol < end) contains = 1;
        if (!(ph->p_flags & PF_X)) continue;
        if (start < lo) lo = start;
        if (end > hi) hi = end;
    }
    if (!contains || lo >= hi) return 0;
    search->lo = lo;
    search->hi = hi;
    return 1;
}

int wasmc_code_register_object(const void *symbol) {
    object_search search = {.symbol = (uintptr_t)symbol};
    if (!dl_iterate_phdr(find_object_code, &search)) return -1;
    return wasmc_code_register((const void *)search.lo, (const void *)search.hi);
}

// ---- Threads and groups --------------------------------------------------------------------

static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watchdog_wake = PTHREAD_COND_INITIALIZER;
static wasmc_thread_state *threads_head;
static int watchdog_running;
/// How many interrupt() calls the watchdog has not seen yet (it then starts over quickly).
static unsigned long interrupt_requests;

void wasmc_threads_register(wasmc_thread_state *ts) {
    pthread_mutex_lock(&threads_lock);
    ts->thread = pthread_self();
    ts->prev = NULL;
    ts->next = threads_head;
    if (threads_head) threads_head->prev = ts;
    threads_head = ts;
    pthread_mutex_unlock(&threads_lock);
}

void wasmc_threads_unregister(wasmc_thread_state *ts) {
    pthread_mutex_lock(&threads_lock);
    if (ts->prev) ts->prev->next = ts->next; else if (threads_head == ts) threads_head = ts->next;
    if (ts->next) ts->next->prev = ts->prev;
    ts->next = ts->prev = NULL;
    pthread_mutex_unlock(&threads_lock);
}

/// A group's word. Words are never freed, only reused: interrupters and the watchdog read the
/// word of whatever call a thread is in, which may end (and its group go) meanwhile; a reused
/// word at worst costs that thread a signal its handler ignores.
typedef struct group_word {
    volatile uintptr_t word; /* first: the group's identity is this address */
    struct group_word *next_free;
} group_word;
static group_word *free_words;

volatile uintptr_t *wasmc_interrupt_group_create(void) {
    pthread_mutex_lock(&threads_lock);
    group_word *g = free_words;
    if (g) free_words = g->next_free;
    pthread_mutex_unlock(&threads_lock);
    if (!g) g = calloc(1, sizeof *g);
    if (!g) return NULL;
    __atomic_store_n(&g->word, 0, __ATOMIC_SEQ_CST);
    return &g->word;
}

void wasmc_interrupt_group_release(volatile uintptr_t *word) {
    if (!word) return;
    group_word *g = (group_word *)word;
    __atomic_store_n(&g->word, 0, __ATOMIC_SEQ_CST);
    pthread_mutex_lock(&threads_lock);
    g->next_free = free_words;
    free_words = g;
    pthread_mutex_unlock(&threads_lock);
}

/// Under threads_lock: signals every thread whose innermost call belongs to an interrupted
/// group (`only` that one group when not NULL); returns how many.
static int signal_interrupted_threads(const volatile uintptr_t *only) {
    int sig = wasmc_interrupt_signal();
    union sigval marker = {.sival_ptr = (void *)wasmc_interrupt_signal_marker()};
    int count = 0;
    for (wasmc_thread_state *ts = threads_head; ts; ts = ts->next) {
        const volatile uintptr_t *g = __atomic_load_n(&ts->interrupt, __ATOMIC_RELAXED);
        if (!g || (only && g != only) || !__atomic_load_n(g, __ATOMIC_RELAXED)) continue;
        count++;
        // Its next function entry traps (the stack check fails and names "interrupted").
        __atomic_store_n(ts->limit_word, WASMC_INTERRUPT_STACK_LIMIT, __ATOMIC_RELAXED);
        if (__atomic_exchange_n(&ts->interrupt_pending, 1, __ATOMIC_ACQ_REL)) continue;
        // The thread cannot end meanwhile: its exit takes threads_lock to leave the registry.
        if (pthread_sigqueue(ts->thread, sig, marker) != 0) __atomic_store_n(&ts->interrupt_pending, 0, __ATOMIC_RELAXED);
    }
    return count;
}

/// Re-sends the signal while a thread is still in a call of an interrupted group: a thread
/// in the runtime, in libc or in a host function when the first one came traps at its next
/// function entry, but a loop needs the signal to land in its own code. Every millisecond for
/// the first second of a wait, then every ten (a host call that blocks for good).
static void *watchdog(void *unused) {
    (void)unused;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_mutex_lock(&threads_lock);
    unsigned long seen = interrupt_requests, rounds = 0;
    for (;;) {
        if (seen != interrupt_requests) {
            seen = interrupt_requests;
            rounds = 0;
        }
        if (signal_interrupted_threads(NULL) == 0) {
            pthread_cond_wait(&watchdog_wake, &threads_lock);
            continue;
        }
        rounds++;
        pthread_mutex_unlock(&threads_lock);
        struct timespec pause = {0, rounds < 1000 ? 1000000 : 10000000};
        nanosleep(&pause, NULL);
        pthread_mutex_lock(&threads_lock);
    }
    return NULL;
}

void wasmc_interrupt(volatile uintptr_t *group, wasmc_instance *const *instances, size_t count) {
    __atomic_store_n(group, 1, __ATOMIC_RELAXED);
    for (size_t i = 0; i < count; i++) __atomic_store_n(&instances[i]->interrupt, 1, __ATOMIC_RELAXED);
    // Pairs with wasmc_invoke's fence: a call entering now either sees the words or is seen
    // below (its thread's limit raised, its thread signalled).
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    wasmc_wake_interrupted_waiters(group);
    pthread_mutex_lock(&threads_lock);
    signal_interrupted_threads(group);
    interrupt_requests++;
    if (!watchdog_running) {
        pthread_attr_t attr;
        pthread_t thread;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 64 * 1024);
        watchdog_running = pthread_create(&thread, &attr, watchdog, NULL) == 0;
        pthread_attr_destroy(&attr);
    }
    pthread_cond_signal(&watchdog_wake);
    pthread_mutex_unlock(&threads_lock);
}

void wasmc_interrupt_reset(volatile uintptr_t *group, wasmc_instance *const *instances, size_t count) {
    __atomic_store_n(group, 0, __ATOMIC_SEQ_CST);
    for (size_t i = 0; i < count; i++) __atomic_store_n(&instances[i]->interrupt, 0, __ATOMIC_SEQ_CST);
}

int wasmc_interrupt_requested(const volatile uintptr_t *word) { return __atomic_load_n(word, __ATOMIC_SEQ_CST) != 0; }
