# Cross-compiling for arm64 (aarch64) Linux on a Debian amd64 machine with
# Debian's cross compiler and the arm64 libraries installed beside the amd64
# ones (multiarch: /usr/lib/aarch64-linux-gnu). tools/bootstrap installs them;
# tools/cross-build arm64 configures with this file and -DWMS_DEVICE_ONLY=ON.
#
# Tests run under qemu-user, named as CMake's emulator: ctest starts each
# test executable through it, and tests/support starts this build's own
# programs through it too (WMS_TEST_EMULATOR), so nothing needs binfmt_misc.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# POCO's arm64 -dev files are unpacked, not installed (libpoco-dev:arm64
# cannot be installed beside the amd64 one; see tools/bootstrap).
if(DEFINED ENV{WMS_ARM64_POCO})
  set(WMS_ARM64_POCO "$ENV{WMS_ARM64_POCO}" CACHE PATH "Unpacked arm64 POCO -dev files")
else()
  set(WMS_ARM64_POCO /var/cache/wms/arm64-poco CACHE PATH "Unpacked arm64 POCO -dev files")
endif()

# Look for libraries, headers and CMake packages only in the target's places:
# / with the multiarch triplet (CMAKE_LIBRARY_ARCHITECTURE keeps the amd64
# ones out) and the unpacked POCO. Programs (pkg-config, mosquitto) are the
# build machine's own.
set(CMAKE_FIND_ROOT_PATH / ${WMS_ARM64_POCO})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(Poco_DIR ${WMS_ARM64_POCO}/usr/lib/aarch64-linux-gnu/cmake/Poco CACHE PATH "arm64 POCO's CMake files")

# pkg-config reads only the arm64 .pc files (and the architecture-free ones).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# qemu-user runs arm64 programs with the multiarch dynamic loader and libc
# (libc6:arm64, /lib/ld-linux-aarch64.so.1, which the arm64 libraries above
# bring in), found at their own paths. Not with `-L /usr/aarch64-linux-gnu`:
# that takes the loader from the cross toolchain's libc (another build of
# glibc 2.36) while every library, libc.so.6 included, still comes from the
# multiarch folder, and a loader and libc of two builds hang in fork().
find_program(WMS_QEMU_AARCH64 qemu-aarch64)
if(WMS_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${WMS_QEMU_AARCH64})
endif()
