#!/bin/sh
# lockstep's set-up, in one place for users, developers and CI.
#
#   ./setup.sh [SCENE] [OPTION]...   install what is missing, build, start lockstep
#   ./setup.sh test                  install, build, run every test; last line "N passed, N failed"
#   ./setup.sh build                 install and build only
#
# Packages come from Debian (bookworm); as a normal user the install step
# uses sudo. The build goes to ./build.
set -eu
cd "$(dirname "$0")"

PKGS="meson ninja-build pkg-config gcc libc6-dev libev-dev libncurses-dev libcmocka-dev libinih-dev gettext tmux python3 mosquitto libmosquitto-dev"

install_missing() {
	missing=""
	for p in $PKGS ${EXTRA_PKGS:-}; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "setup: installing$missing" >&2
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
}

build() {
	if [ ! -f build/build.ninja ]; then
		werror=false
		[ "${CI:-}" = true ] && werror=true
		meson setup build -Dwerror=$werror >build-setup.log 2>&1 || {
			cat build-setup.log >&2
			exit 1
		}
		rm -f build-setup.log
	fi
	meson compile -C build >/dev/null || meson compile -C build
}

case "${1:-}" in
test)
	install_missing
	build
	status=0
	meson test -C build --print-errorlogs --num-processes 2 || status=$?
	python3 tests/summary.py build
	exit $status
	;;
build)
	install_missing
	build
	;;
*)
	install_missing
	build
	exec ./build/lockstep "$@"
	;;
esac
