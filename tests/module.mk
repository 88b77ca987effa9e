# tests/: the fault injector preloaded by the fault tests (no sanitizers:
# it is loaded into binaries that may carry their own runtime).
FAILWRITE := $(BUILD)/tests/libfailwrite.so
$(FAILWRITE): tests/faults/failwrite.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared -o $@ $< -ldl
EXTRA_TARGETS += $(FAILWRITE)
# tests/locks: pauses a stage right after it took its output's lock (the lock tests).
HOLDLOCK := $(BUILD)/tests/libholdlock.so
$(HOLDLOCK): tests/locks/holdlock.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared -o $@ $< -ldl
EXTRA_TARGETS += $(HOLDLOCK)
