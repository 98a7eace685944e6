/* SPDX-License-Identifier: MIT */
/* tests/sdk-standins/sys/xattr.h: a test-only stand-in for the macOS SDK's <sys/xattr.h>, which
 * zig's subset of the macOS headers lacks. Only the cross builds (cross/zig-*-macos.ini) put
 * this directory on the include path; a real Mac uses its SDK's header. Written from Apple's
 * documented prototypes (getxattr(2), setxattr(2), removexattr(2), listxattr(2)); the
 * functions are libSystem's, so the binaries link against the real ones. */
#ifndef LIFTOFF_TEST_SDK_STANDIN_SYS_XATTR_H
#define LIFTOFF_TEST_SDK_STANDIN_SYS_XATTR_H

#include <sys/cdefs.h>
#include <sys/types.h>

/* Options for the functions below. */
#define XATTR_NOFOLLOW 0x0001
#define XATTR_CREATE 0x0002
#define XATTR_REPLACE 0x0004
#define XATTR_NOSECURITY 0x0008
#define XATTR_NODEFAULT 0x0010
#define XATTR_SHOWCOMPRESSION 0x0020

#define XATTR_MAXNAMELEN 127

__BEGIN_DECLS
ssize_t getxattr(const char* path, const char* name, void* value, size_t size, u_int32_t position, int options);
ssize_t fgetxattr(int fd, const char* name, void* value, size_t size, u_int32_t position, int options);
int setxattr(const char* path, const char* name, const void* value, size_t size, u_int32_t position, int options);
int fsetxattr(int fd, const char* name, const void* value, size_t size, u_int32_t position, int options);
int removexattr(const char* path, const char* name, int options);
int fremovexattr(int fd, const char* name, int options);
ssize_t listxattr(const char* path, char* namebuf, size_t size, int options);
ssize_t flistxattr(int fd, char* namebuf, size_t size, int options);
__END_DECLS

#endif /* LIFTOFF_TEST_SDK_STANDIN_SYS_XATTR_H */
