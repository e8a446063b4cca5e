# mvrc — build every step and the final runtime, test them, give the talk.
#   make                 build steps/*/container and final/mvrc
#   make test            install what is missing, build, run every suite
#   make demo            install what is missing, build, a scripted tour
#   make rootfs          rootfs/busybox from Debian's busybox-static, offline
#   make diff STEP=NN    what step NN adds to the step before it
#   make doctor          can this host run rootless containers?
#   make slides          the talk, slides/dist/index.html
#   make bench           mvrc against bwrap, runc and the floor: bench/RESULTS.md
#   make SANITIZE=1 ...  build (and test) with ASan and UBSan
#   make grade STEP=NN DIR=path [FORMAT=junit]   grade a student's step NN
#   make exercise|hint|solution STEP=NN          the workshop (docs/workshop.md)

STEPS := $(sort $(patsubst %/,%,$(dir $(wildcard steps/[0-9][0-9]-*/Makefile))))
HAVE_FINAL := $(wildcard final/Makefile)
ROOTFS := rootfs/busybox

# Rebuild everything when SANITIZE changes, so that `make SANITIZE=1 test`
# tests the sanitized build and a later plain `make` replaces it. The stamp
# is read when make starts; sub-makes inherit the decision.
export FORCE_REBUILD ?=
ifneq ($(shell cat .build-flags 2>/dev/null),SANITIZE=$(SANITIZE))
FORCE_REBUILD := -B
$(shell echo 'SANITIZE=$(SANITIZE)' >.build-flags)
endif

.PHONY: all steps $(STEPS) final test deps rootfs diff doctor demo slides bench clean install
.PHONY: grade exercise hint solution

all: steps $(if $(HAVE_FINAL),final)

steps: $(STEPS)

$(STEPS):
	$(MAKE) $(FORCE_REBUILD) -C $@

final:
	$(MAKE) $(FORCE_REBUILD) -C final

deps:
	scripts/install-deps.sh core test vm slides oci

test: deps
	$(MAKE) all
	$(MAKE) rootfs
	tests/run.sh

rootfs: $(ROOTFS)/bin/busybox

$(ROOTFS)/bin/busybox:
	rootfs/fetch.sh $(ROOTFS)

diff:
	@scripts/step-diff.sh $(STEP)

doctor:
	@scripts/doctor.sh

grade:
	@scripts/grade.sh "$(STEP)" "$(DIR)" "$(FORMAT)"

exercise hint solution:
	@scripts/exercise.sh $@ "$(STEP)"

demo:
	scripts/install-deps.sh core
	$(MAKE) all
	$(MAKE) rootfs
	scripts/demo.sh

slides:
	$(MAKE) -C slides

bench: all rootfs
	scripts/install-deps.sh bench
	$(MAKE) -C bench

install:
	$(MAKE) -C final install

clean:
	for d in $(STEPS) $(if $(HAVE_FINAL),final); do $(MAKE) -C $$d clean || exit 1; done
	rm -rf tests/out
