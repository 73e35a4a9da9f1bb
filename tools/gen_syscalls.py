#!/usr/bin/env python3
# Writes tapset/linux/syscalls.stp: syscall.NAME / syscall.NAME.return (and nd_syscall.*) on the
# syscalls:sys_enter_NAME / sys_exit_NAME tracepoints. The common calls get stap's variables and
# argstr formats (tapset/linux/sysc_*.stp of SystemTap); every other syscall this kernel traces
# gets name/argstr from its format file. Run on a kernel with tracefs: tools/gen_syscalls.py
import os
import re
import sys

EV = "/sys/kernel/tracing/events/syscalls"

# name: (tracepoints to try in order, [variable lines], argstr line, return_str format)
# $fields are the tracepoint's; values follow stap's dw_syscall.* bodies.
SPEC = {
    "read": (["read"], ["fd = __int32($fd)", "buf_uaddr = $buf", "count = $count"],
             'argstr = sprintf("%d, %p, %u", fd, buf_uaddr, count)', 1),
    "write": (["write"], ["fd = __int32($fd)", "buf_uaddr = $buf", "count = $count",
                          "buf_str = user_buffer_quoted(buf_uaddr, count, syscall_string_trunc)"],
              'argstr = sprintf("%d, %s, %u", fd, buf_str, count)', 1),
    "pread": (["pread64"], ["fd = __int32($fd)", "buf_uaddr = $buf", "count = $count",
                            "offset = $pos"],
              'argstr = sprintf("%d, %p, %u, %d", fd, buf_uaddr, count, offset)', 1),
    "pwrite": (["pwrite64"], ["fd = __int32($fd)", "buf_uaddr = $buf", "count = $count",
                              "offset = $pos",
                              "buf_str = user_buffer_quoted(buf_uaddr, count, syscall_string_trunc)"],
               'argstr = sprintf("%d, %s, %u, %d", fd, buf_str, count, offset)', 1),
    "close": (["close"], ["fd = __int32($fd)"], "argstr = sprint(fd)", 1),
    "open": (["open"], ["filename = user_string_quoted($filename)", "flags = __int32($flags)",
                        "mode = __uint32($mode)", "flags_str = _sys_open_flag_str(flags)"],
             'if (flags & 64)\n\t\targstr = sprintf("%s, %s, %#o", filename, flags_str, mode)\n'
             '\telse\n\t\targstr = sprintf("%s, %s", filename, flags_str)', 1),
    "openat": (["openat"], ["dfd = __int32($dfd)", "dfd_str = _dfd_str(dfd)",
                            "filename = user_string_quoted($filename)", "flags = __int32($flags)",
                            "flags_str = _sys_open_flag_str(flags)", "mode = __uint32($mode)"],
               'if (flags & 64)\n\t\targstr = sprintf("%s, %s, %s, %#o", dfd_str, filename, flags_str, mode)\n'
               '\telse\n\t\targstr = sprintf("%s, %s, %s", dfd_str, filename, flags_str)', 1),
    "creat": (["creat"], ["pathname = user_string_quoted($pathname)", "mode = __uint32($mode)"],
              'argstr = sprintf("%s, %#o", pathname, mode)', 1),
    "mmap2": (["mmap"], ["start = $addr", "length = $len", "len = length", "prot = $prot",
                         "prot_str = _mprotect_prot_str(prot)", "flags = $flags",
                         "flags_str = _mmap_flags(flags)", "fd = __int32($fd)", "offset = $off",
                         "pgoffset = offset"],
              'argstr = sprintf("%p, %u, %s, %s, %d, %d", start, length, prot_str, flags_str, fd, offset)', 2),
    "munmap": (["munmap"], ["start = $addr", "length = $len"],
               'argstr = sprintf("%p, %u", start, length)', 1),
    "mprotect": (["mprotect"], ["addr = $start", "len = $len", "prot = $prot",
                                "prot_str = _mprotect_prot_str(prot)"],
                 'argstr = sprintf("%p, %u, %s", addr, len, prot_str)', 1),
    "brk": (["brk"], ["brk = $brk"], 'argstr = sprintf("%p", brk)', 1),
    "connect": (["connect"], ["sockfd = __int32($fd)", "serv_addr_uaddr = $uservaddr",
                              "addrlen = __uint32($addrlen)"],
                'argstr = sprintf("%d, %s, %u", sockfd, _struct_sockaddr_u(serv_addr_uaddr, addrlen), addrlen)', 1),
    "bind": (["bind"], ["sockfd = __int32($fd)", "my_addr_uaddr = $umyaddr",
                        "addrlen = __int32($addrlen)"],
             'argstr = sprintf("%d, %s, %d", sockfd, _struct_sockaddr_u(my_addr_uaddr, addrlen), addrlen)', 1),
    "listen": (["listen"], ["sockfd = __int32($fd)", "backlog = __int32($backlog)"],
               'argstr = sprintf("%d, %d", sockfd, backlog)', 1),
    "accept": (["accept"], ["sockfd = __int32($fd)", "addr_uaddr = $upeer_sockaddr",
                            "addrlen_uaddr = $upeer_addrlen"],
               'argstr = sprintf("%d, %p, %p", sockfd, addr_uaddr, addrlen_uaddr)', 1),
    "accept4": (["accept4"], ["sockfd = __int32($fd)", "addr_uaddr = $upeer_sockaddr",
                              "addrlen_uaddr = $upeer_addrlen", "flags = __int32($flags)",
                              "flags_str = _sock_flags_str(flags)"],
                'argstr = sprintf("%d, %p, %p, %s", sockfd, addr_uaddr, addrlen_uaddr, flags_str)', 1),
    "socket": (["socket"], ["family = __int32($family)", "type = __int32($type)",
                            "protocol = __int32($protocol)", "family_str = _sock_family_str(family)",
                            "type_str = _sock_type_str(type)",
                            "protocol_str = _sock_protocol_str(family, protocol)"],
               'argstr = sprintf("%s, %s, %s", family_str, type_str, protocol_str)', 1),
    "execve": (["execve"], ["filename = user_string_quoted($filename)", "__argv = $argv",
                            "args = __get_argv(__argv, 0)", "__envp = $envp",
                            "env_str = __get_argv(__envp, 0)"],
               'argstr = sprintf("%s, %s, %s", filename, args, env_str)', 1),
    "clone": (["clone"], ["clone_flags = $clone_flags", "stack_start = $newsp",
                          "parent_tid_uaddr = $parent_tidptr", "child_tid_uaddr = $child_tidptr"],
              'argstr = sprintf("%s, %p, %p, %p", __fork_flags(clone_flags), stack_start, parent_tid_uaddr, child_tid_uaddr)', 1),
    "fork": (["fork"], [], 'argstr = ""', 1),
    "vfork": (["vfork"], [], 'argstr = ""', 1),
    "exit": (["exit"], ["status = __int32($error_code)"], "argstr = sprint(status)", 0),
    "exit_group": (["exit_group"], ["status = __int32($error_code)"], "argstr = sprint(status)", 0),
    "kill": (["kill"], ["pid = __int32($pid)", "sig = __int32($sig)", "sig_name = _signal_name(sig)"],
             'argstr = sprintf("%d, %s", pid, sig_name)', 1),
    "tkill": (["tkill"], ["pid = __int32($pid)", "sig = __int32($sig)", "sig_str = _signal_name(sig)"],
              'argstr = sprintf("%d, %s", pid, sig_str)', 1),
    "tgkill": (["tgkill"], ["tgid = __int32($tgid)", "pid = __int32($pid)", "sig = __int32($sig)",
                            "sig_str = _signal_name(sig)"],
               'argstr = sprintf("%d, %d, %s", tgid, pid, sig_str)', 1),
    "nanosleep": (["nanosleep"], ["req_uaddr = $rqtp", "rem_uaddr = $rmtp",
                                  "req_str = _struct_timespec_u(req_uaddr, 1)"],
                  'argstr = sprintf("%s, %p", req_str, rem_uaddr)', 1),
    "clock_nanosleep": (["clock_nanosleep"], ["clk_id = __int32($which_clock)",
                                              "clk_id_str = _get_wc_str(clk_id)",
                                              "flags = __int32($flags)",
                                              "flags_str = _stp_clock_nanosleep_flags_str(flags)",
                                              "req_uaddr = $rqtp", "rem_uaddr = $rmtp",
                                              "req_str = _struct_timespec_u(req_uaddr, 1)"],
                        'argstr = sprintf("%s, %s, %s, %p", clk_id_str, flags_str, req_str, rem_uaddr)', 1),
    "getpid": (["getpid"], [], 'argstr = ""', 1),
    "getppid": (["getppid"], [], 'argstr = ""', 1),
    "gettid": (["gettid"], [], 'argstr = ""', 1),
    "getuid": (["getuid"], [], 'argstr = ""', 1),
    "geteuid": (["geteuid"], [], 'argstr = ""', 1),
    "getgid": (["getgid"], [], 'argstr = ""', 1),
    "getegid": (["getegid"], [], 'argstr = ""', 1),
    "sched_yield": (["sched_yield"], [], 'argstr = ""', 1),
    "fstat": (["newfstat", "fstat"], ["filedes = __int32($fd)", "buf_uaddr = $statbuf"],
              'argstr = sprintf("%d, %p", filedes, buf_uaddr)', 1),
    "stat": (["newstat", "stat"], ["filename_uaddr = $filename",
                                   "filename = user_string_quoted(filename_uaddr)",
                                   "buf_uaddr = $statbuf"],
             'argstr = sprintf("%s, %p", filename, buf_uaddr)', 1),
    "lstat": (["newlstat", "lstat"], ["path = user_string_quoted($filename)", "buf_uaddr = $statbuf"],
              'argstr = sprintf("%s, %p", path, buf_uaddr)', 1),
    "fstatat": (["newfstatat"], ["dirfd = __int32($dfd)", "dirfd_str = _dfd_str(dirfd)",
                                 "path = user_string_quoted($filename)", "buf_uaddr = $statbuf",
                                 "flags = __int32($flag)", "flags_str = _at_flag_str(flags)"],
                'argstr = sprintf("%s, %s, %p, %s", dirfd_str, path, buf_uaddr, flags_str)', 1),
    "lseek": (["lseek"], ["fildes = __int32($fd)", "offset = $offset", "whence = $whence",
                          "whence_str = _seek_whence_str(whence)"],
              'argstr = sprintf("%d, %d, %s", fildes, offset, whence_str)', 1),
    "dup": (["dup"], ["oldfd = __int32($fildes)"], "argstr = sprint(oldfd)", 1),
    "dup2": (["dup2"], ["oldfd = __int32($oldfd)", "newfd = __int32($newfd)", "flags = 0",
                        'flags_str = "0x0"'],
             'argstr = sprintf("%d, %d", oldfd, newfd)', 1),
    "dup3": (["dup3"], ["oldfd = __int32($oldfd)", "newfd = __int32($newfd)",
                        "flags = __int32($flags)", "flags_str = _dup3_flag_str(flags)"],
             'argstr = sprintf("%d, %d, %s", oldfd, newfd, flags_str)', 1),
    "unlink": (["unlink"], ["pathname_uaddr = $pathname", "pathname = user_string_quoted(pathname_uaddr)"],
               "argstr = pathname", 1),
    "unlinkat": (["unlinkat"], ["dfd = __int32($dfd)", "dfd_str = _dfd_str(dfd)",
                                "pathname = $pathname", "pathname_str = user_string_quoted(pathname)",
                                "flag = __uint32($flag)", "flag_str = _at_flag_str(flag)"],
                 'argstr = sprintf("%s, %s, %s", dfd_str, pathname_str, flag_str)', 1),
    "wait4": (["wait4"], ["pid = __int32($upid)", "status_uaddr = $stat_addr",
                          "options = __int32($options)", "options_str = _wait4_opt_str(options)",
                          "rusage_uaddr = $ru"],
              'argstr = sprintf("%d, %p, %s, %p", pid, status_uaddr, options_str, rusage_uaddr)', 1),
    "ioctl": (["ioctl"], ["fd = __int32($fd)", "request = __int32($cmd)", "argp = $arg"],
              'argstr = sprintf("%d, %d, %p", fd, request, argp)', 1),
    "fcntl": (["fcntl"], ["fd = __int32($fd)", "cmd = __int32($cmd)", "cmd_str = _fcntl_cmd_str(cmd)",
                          "arg = $arg"],
              'argstr = sprintf("%d, %s, %p", fd, cmd_str, arg)', 1),
    "access": (["access"], ["pathname = user_string_quoted($filename)", "mode = __int32($mode)",
                            "mode_str = _access_mode_str(mode)"],
               'argstr = sprintf("%s, %s", pathname, mode_str)', 1),
    "faccessat": (["faccessat"], ["dirfd = __int32($dfd)", "dirfd_str = _dfd_str(dirfd)",
                                  "pathname = user_string_quoted($filename)", "mode = __int32($mode)",
                                  "mode_str = _access_mode_str(mode)"],
                  'argstr = sprintf("%s, %s, %s", dirfd_str, pathname, mode_str)', 1),
    "chdir": (["chdir"], ["path = user_string_quoted($filename)"], "argstr = path", 1),
    "mkdir": (["mkdir"], ["pathname_uaddr = $pathname", "pathname = user_string_quoted(pathname_uaddr)",
                          "mode = __uint32($mode)"],
              'argstr = sprintf("%s, %#o", pathname, mode)', 1),
    "rmdir": (["rmdir"], ["pathname = user_string_quoted($pathname)"], "argstr = pathname", 1),
    "readlink": (["readlink"], ["path = user_string_quoted($path)", "buf_uaddr = $buf",
                                "bufsiz = __int32($bufsiz)"],
                 'argstr = sprintf("%s, %p, %d", path, buf_uaddr, bufsiz)', 1),
    "rename": (["rename"], ["oldpath = user_string_quoted($oldname)",
                            "newpath = user_string_quoted($newname)"],
               'argstr = sprintf("%s, %s", oldpath, newpath)', 1),
    "getcwd": (["getcwd"], ["buf_uaddr = $buf", "size = $size"],
               'argstr = sprintf("%p, %d", buf_uaddr, size)', 1),
    "umask": (["umask"], ["mask = __uint32($mask)"], 'argstr = sprintf("%#o", mask)', 3),
    "uname": (["newuname"], ["name_uaddr = $name"], 'argstr = sprintf("%p", name_uaddr)', 1),
    "set_tid_address": (["set_tid_address"], ["tidptr_uaddr = $tidptr"],
                        'argstr = sprintf("%p", tidptr_uaddr)', 1),
    "poll": (["poll"], ["ufds_uaddr = $ufds", "nfds = $nfds", "timeout = __int32($timeout_msecs)"],
             'argstr = sprintf("%p, %u, %d", ufds_uaddr, nfds, timeout)', 1),
    "epoll_wait": (["epoll_wait"], ["epfd = __int32($epfd)", "events_uaddr = $events",
                                    "maxevents = __int32($maxevents)", "timeout = __int32($timeout)"],
                   'argstr = sprintf("%d, %p, %d, %d", epfd, events_uaddr, maxevents, timeout)', 1),
    "writev": (["writev"], ["fd = __int32($fd)", "vector_uaddr = $vec", "count = __int32($vlen)"],
               'argstr = sprintf("%d, %p, %d", fd, vector_uaddr, count)', 1),
    "readv": (["readv"], ["fd = __int32($fd)", "vector_uaddr = $vec", "count = __int32($vlen)"],
              'argstr = sprintf("%d, %p, %d", fd, vector_uaddr, count)', 1),
    "getdents": (["getdents64", "getdents"], ["fd = __int32($fd)", "dirp_uaddr = $dirent",
                                              "count = __uint32($count)"],
                 'argstr = sprintf("%d, %p, %d", fd, dirp_uaddr, count)', 1),
    "mremap": (["mremap"], ["old_address = $addr", "old_size = $old_len", "new_size = $new_len",
                            "flags = $flags", "flags_str = _mremap_flags(flags)", "new_address = $new_addr"],
               'argstr = sprintf("%p, %d, %d, %s, %p", old_address, old_size, new_size, flags_str, new_address)', 2),
    "setfsuid": (["setfsuid"], ["fsuid = __int32($uid)"], "argstr = sprint(fsuid)", 1),
    "setfsgid": (["setfsgid"], ["fsgid = __int32($gid)"], "argstr = sprint(fsgid)", 1),
    "getpriority": (["getpriority"], ["which = __int32($which)", "who = __int32($who)"],
                    'argstr = sprintf("%s, %d", _priority_which_str(which), who)', 1),
    "setpriority": (["setpriority"], ["which = __int32($which)", "which_str = _priority_which_str(which)",
                                      "who = __int32($who)", "prio = __int32($niceval)"],
                    'argstr = sprintf("%s, %d, %d", which_str, who, prio)', 1),
    "flock": (["flock"], ["fd = __int32($fd)", "operation = $cmd"],
              'argstr = sprintf("%d, %s", fd, _flock_cmd_str(operation))', 1),
    "getsid": (["getsid"], ["pid = __int32($pid)"], "argstr = sprint(pid)", 1),
    "mlock": (["mlock"], ["addr = $start", "len = $len"], 'argstr = sprintf("%p, %u", addr, len)', 1),
    "mlock2": (["mlock2"], ["addr = $start", "len = $len", "flags = __int32($flags)",
                            "flags_str = _stp_mlock2_str(flags)"],
               'argstr = sprintf("%p, %u, %s", addr, len, flags_str)', 1),
    "munlock": (["munlock"], ["addr = $start", "len = $len"], 'argstr = sprintf("%p, %d", addr, len)', 1),
    "mlockall": (["mlockall"], ["flags = __int32($flags)", "flags_str = _mlockall_flags_str(flags)"],
                 "argstr = flags_str", 1),
    "munlockall": (["munlockall"], [], 'argstr = ""', 1),
    "msync": (["msync"], ["start = $start", "length = $len", "flags = __int32($flags)",
                          "flags_str = _msync_flag_str(flags)"],
              'argstr = sprintf("%p, %u, %s", start, length, flags_str)', 1),
    "statx": (["statx"], ["dfd = __int32($dfd)", "dfd_str = _dfd_str(dfd)", "filename_uaddr = $filename",
                          "filename = user_string_quoted(filename_uaddr)", "flags = __uint32($flags)",
                          "flags_str = _at_flag_str(flags)", "mask = __uint32($mask)",
                          "mask_str = _statx_mask_str(mask)", "buf_uaddr = $buffer"],
              'argstr = sprintf("%s, %s, %s, %s, %p", dfd_str, filename, flags_str, mask_str, buf_uaddr)', 1),
    "faccessat2": (["faccessat2"], ["dirfd = __int32($dfd)", "dirfd_str = _dfd_str(dirfd)",
                                    "pathname = user_string_quoted($filename)", "mode = __int32($mode)",
                                    "mode_str = _access_mode_str(mode)", "flags = __int32($flags)",
                                    "flags_str = _faccessat2_flags_str(flags)"],
                   'argstr = sprintf("%s, %s, %s, %s", dirfd_str, pathname, mode_str, flags_str)', 1),
    "mkdirat": (["mkdirat"], ["dirfd = __int32($dfd)", "dirfd_str = _dfd_str(dirfd)",
                              "pathname = user_string_quoted($pathname)", "mode = __uint32($mode)"],
                'argstr = sprintf("%s, %s, %#o", dirfd_str, pathname, mode)', 1),
    "linkat": (["linkat"], ["olddirfd = __int32($olddfd)", "olddirfd_str = _dfd_str(olddirfd)",
                            "oldpath = user_string_quoted($oldname)", "newdirfd = __int32($newdfd)",
                            "newdirfd_str = _dfd_str(newdirfd)", "newpath = user_string_quoted($newname)",
                            "flags = __int32($flags)", "flags_str = _at_flag_str(flags)"],
               'argstr = sprintf("%s, %s, %s, %s, %s", olddirfd_str, oldpath, newdirfd_str, newpath, flags_str)', 1),
    "link": (["link"], ["oldpath = user_string_quoted($oldname)", "newpath = user_string_quoted($newname)"],
             'argstr = sprintf("%s, %s", oldpath, newpath)', 1),
    "symlinkat": (["symlinkat"], ["oldname = $oldname", "oldname_str = user_string_quoted(oldname)",
                                  "newdfd = __int32($newdfd)", "newdfd_str = _dfd_str(newdfd)",
                                  "newname = $newname", "newname_str = user_string_quoted(newname)"],
                  'argstr = sprintf("%s, %s, %s", oldname_str, newdfd_str, newname_str)', 1),
    "symlink": (["symlink"], ["oldpath = user_string_quoted($oldname)", "newpath = user_string_quoted($newname)"],
                'argstr = sprintf("%s, %s", oldpath, newpath)', 1),
    "readlinkat": (["readlinkat"], ["dfd = __int32($dfd)", "dfd_str = _dfd_str(dfd)", "buf_uaddr = $buf",
                                    "bufsiz = __int32($bufsiz)", "path = user_string_quoted($pathname)"],
                   'argstr = sprintf("%s, %s, %p, %d", dfd_str, path, buf_uaddr, bufsiz)', 1),
    "renameat": (["renameat"], ["olddfd = __int32($olddfd)", "olddfd_str = _dfd_str(olddfd)",
                                "oldname = $oldname", "oldname_str = user_string_quoted(oldname)",
                                "newdfd = __int32($newdfd)", "newdfd_str = _dfd_str(newdfd)",
                                "newname = $newname", "newname_str = user_string_quoted(newname)"],
                 'argstr = sprintf("%s, %s, %s, %s", olddfd_str, oldname_str, newdfd_str, newname_str)', 1),
    "renameat2": (["renameat2"], ["olddfd = __int32($olddfd)", "olddfd_str = _dfd_str(olddfd)",
                                  "oldname = $oldname", "oldname_str = user_string_quoted(oldname)",
                                  "newdfd = __int32($newdfd)", "newdfd_str = _dfd_str(newdfd)",
                                  "newname = $newname", "newname_str = user_string_quoted(newname)",
                                  "flags = __uint32($flags)", "flags_str = _renameat2_flags_str(flags)"],
                  'argstr = sprintf("%s, %s, %s, %s, %s", olddfd_str, oldname_str, newdfd_str, newname_str, flags_str)', 1),
    "fchmodat": (["fchmodat"], ["dirfd = __int32($dfd)", "dirfd_str = _dfd_str(dirfd)",
                                "pathname = user_string_quoted($filename)", "mode = __uint32($mode)"],
                 'argstr = sprintf("%s, %s, %#o", dirfd_str, pathname, mode)', 1),
    "fchmod": (["fchmod"], ["fildes = __int32($fd)", "mode = __uint32($mode)"],
               'argstr = sprintf("%d, %#o", fildes, mode)', 1),
    "chmod": (["chmod"], ["path = user_string_quoted($filename)", "mode = __uint32($mode)"],
              'argstr = sprintf("%s, %#o", path, mode)', 1),
    "fchown": (["fchown"], ["fd = __int32($fd)", "owner = __int32($user)", "group = __int32($group)"],
               'argstr = sprintf("%d, %d, %d", fd, owner, group)', 1),
    "chown": (["chown"], ["path = user_string_quoted($filename)", "owner = __int32($user)",
                          "group = __int32($group)"],
              'argstr = sprintf("%s, %d, %d", path, owner, group)', 1),
    "lchown": (["lchown"], ["path = user_string_quoted($filename)", "owner = __int32($user)",
                            "group = __int32($group)"],
               'argstr = sprintf("%s, %d, %d", path, owner, group)', 1),
    "fchownat": (["fchownat"], ["dirfd = __int32($dfd)", "dirfd_str = _dfd_str(dirfd)",
                                "pathname = user_string_quoted($filename)", "owner = __int32($user)",
                                "group = __int32($group)", "flags = __int32($flag)",
                                "flags_str = _at_flag_str(flags)"],
                 'argstr = sprintf("%s, %s, %d, %d, %s", dirfd_str, pathname, owner, group, flags_str)', 1),
    "setuid": (["setuid"], ["uid = __int32($uid)"], "argstr = sprint(uid)", 1),
    "setgid": (["setgid"], ["gid = __int32($gid)"], "argstr = sprint(gid)", 1),
    "setreuid": (["setreuid"], ["ruid = __int32($ruid)", "euid = __int32($euid)"],
                 'argstr = sprintf("%d, %d", ruid, euid)', 1),
    "setregid": (["setregid"], ["rgid = __int32($rgid)", "egid = __int32($egid)"],
                 'argstr = sprintf("%d, %d", rgid, egid)', 1),
    "setresuid": (["setresuid"], ["ruid = __int32($ruid)", "euid = __int32($euid)", "suid = __int32($suid)"],
                  'argstr = sprintf("%d, %d, %d", ruid, euid, suid)', 1),
    "setresgid": (["setresgid"], ["rgid = __int32($rgid)", "egid = __int32($egid)", "sgid = __int32($sgid)"],
                  'argstr = sprintf("%d, %d, %d", rgid, egid, sgid)', 1),
    "ftruncate": (["ftruncate"], ["fd = __int32($fd)", "length = $length"],
                  'argstr = sprintf("%d, %d", fd, length)', 1),
    "truncate": (["truncate"], ["path_uaddr = $path", "path = user_string_quoted(path_uaddr)",
                                "length = $length"],
                 'argstr = sprintf("%s, %d", path, length)', 1),
    "fstatfs": (["fstatfs"], ["fd = __int32($fd)", "buf_uaddr = $buf"],
                'argstr = sprintf("%d, %p", fd, buf_uaddr)', 1),
    "statfs": (["statfs"], ["buf_uaddr = $buf", "path = user_string_quoted($pathname)"],
               'argstr = sprintf("%s, %p", path, buf_uaddr)', 1),
    "fchdir": (["fchdir"], ["fd = __int32($fd)"], "argstr = sprint(fd)", 1),
    "fsync": (["fsync"], ["fd = __int32($fd)"], "argstr = sprint(fd)", 1),
    "fdatasync": (["fdatasync"], ["fd = __int32($fd)"], "argstr = sprint(fd)", 1),
    "sync": (["sync"], [], 'argstr = ""', 1),
    "syncfs": (["syncfs"], ["fd = __int32($fd)"], 'argstr = sprintf("%d", fd)', 1),
    "preadv": (["preadv"], ["fd = __int32($fd)", "vector_uaddr = $vec", "count = __int32($vlen)",
                            "offset = $pos_l"],
               'argstr = sprintf("%d, %p, %d, 0x%x", fd, vector_uaddr, count, offset)', 1),
    "pwritev": (["pwritev"], ["fd = __int32($fd)", "vector_uaddr = $vec", "count = __int32($vlen)",
                              "offset = $pos_l"],
                'argstr = sprintf("%d, %p, %d, 0x%x", fd, vector_uaddr, count, offset)', 1),
}

# SPEC calls some architectures lack (the asm-generic table of aarch64/riscv): optional there.
# The others are required, so that an unprivileged user hears why syscall.read cannot work.
LEGACY = {"open", "creat", "fork", "vfork", "access", "mkdir", "rmdir", "rename", "unlink",
          "readlink", "stat", "lstat", "dup2", "poll", "epoll_wait"}

# ... and whatever else the asm-generic table (arch/aarch64/sysnames.c, tools/gen_sysnames.py)
# lacks, so that the tapset resolves on aarch64 too.
RENAMED = {"newfstat": "fstat", "newstat": "stat", "newlstat": "lstat", "newuname": "uname",
           "sendfile64": "sendfile"}


def generic_table():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "arch", "aarch64", "sysnames.c")
    with open(path) as f:
        return set(re.findall(r'\{ "(\w+)", \d+ \}', f.read()))


GENERIC = generic_table()
LEGACY |= {k for k, v in SPEC.items() if not any(RENAMED.get(t, t) in GENERIC for t in v[0])}

# stap's syscall.pipe covers pipe2 too (glibc's pipe() is pipe2 on x86_64 and aarch64), named
# after the call made: one alias over two tracepoints, which SPEC's form cannot say.
PIPE = """probe __syscall.pipe2 = kernel.trace("syscalls:sys_enter_pipe2") ?
{
	name = "pipe2"
	flags = __int32($flags)
	flag_str = _sys_pipe2_flag_str(flags)
	fildes_uaddr = $fildes
	pipe0 = user_int(fildes_uaddr)
	pipe1 = user_int(fildes_uaddr + 4)
	if (fildes_uaddr == 0)
		argstr = "NULL"
	else
		argstr = sprintf("[%d, %d], %s", pipe0, pipe1, flag_str)
}
probe __syscall.pipe = kernel.trace("syscalls:sys_enter_pipe") ?
{
	name = "pipe"
	flags = 0
	flag_str = ""
	fildes_uaddr = $fildes
	pipe0 = user_int(fildes_uaddr)
	pipe1 = user_int(fildes_uaddr + 4)
	if (fildes_uaddr == 0)
		argstr = "NULL"
	else
		argstr = sprintf("[%d, %d]", pipe0, pipe1)
}
probe syscall.pipe = __syscall.pipe2 ?, __syscall.pipe ? {}
probe __syscall.pipe2.return = kernel.trace("syscalls:sys_exit_pipe2") ?
{
	name = "pipe2"
	retval = $ret
	retstr = return_str(1, retval)
}
probe __syscall.pipe.return = kernel.trace("syscalls:sys_exit_pipe") ?
{
	name = "pipe"
	retval = $ret
	retstr = return_str(1, retval)
}
probe syscall.pipe.return = __syscall.pipe2.return ?, __syscall.pipe.return ? {}
"""

# syscalls whose tracepoints a SPEC entry above covers under stap's name
COVERED = {t for v in SPEC.values() for t in v[0]} | {"pipe", "pipe2"}

KEYWORDS = {"probe", "global", "function", "if", "else", "for", "foreach", "in", "limit",
            "return", "delete", "while", "break", "continue", "next", "string", "long", "try",
            "catch", "private", "name", "argstr", "retstr", "retval"}

STRINGY = {"filename", "pathname", "path", "oldname", "newname", "specialname", "dev_name",
           "dir_name", "type", "library", "uname"}


def fields(ev):
    out = []
    with open(os.path.join(EV, ev, "format")) as f:
        for line in f:
            m = re.search(r"field:(.*?);\s*offset:(\d+);\s*size:(\d+);", line)
            if not m or "common_" in m.group(1) or "__syscall_nr" in m.group(1):
                continue
            decl = m.group(1)
            name = re.findall(r"(\w+)(\[\d*\])?$", decl)[0][0]
            out.append((name, decl[: -len(name)].strip()))
    return out


# stap names both getdents and getdents64 "getdents": every tracepoint listed is probed,
# where for the others the first that exists is (the "!" chain)
EVERY = {"getdents"}


def alias(names, tps, enter, body, optional=True, every=False):
    last = " ?" if optional else ""
    pts = (",\n\t" if len(tps) > 1 else "").join(
        'kernel.trace("syscalls:sys_%s_%s")%s' % (enter, t, " ?" if every else " !" if i < len(tps) - 1 else last)
        for i, t in enumerate(tps))
    if len(tps) > 1:
        pts = "\n\t" + pts
    return "probe %s = %s\n{\n%s\n}\n" % (names, pts, body)


def ret_body(name, fmt):
    if fmt == 0:
        return '\tname = "%s"\n\tretval = 0\n\tretstr = return_str(1, retval)' % name
    return '\tname = "%s"\n\tretval = $ret\n\tretstr = return_str(%d, retval)' % (name, fmt)


def generic(ev):
    lines, fmts, args = [], [], []
    for fname, ctype in fields("sys_enter_" + ev):
        var = fname + "_" if fname in KEYWORDS else fname
        if "*" in ctype and "char" in ctype and fname in STRINGY:
            lines.append("%s = user_string_quoted($%s)" % (var, fname))
            fmts.append("%s")
        elif "*" in ctype:
            lines.append("%s = $%s" % (var, fname))
            fmts.append("%p")
        else:
            lines.append("%s = $%s" % (var, fname))
            fmts.append("%d")
        args.append(var)
    if args:
        arg = 'argstr = sprintf("%s", %s)' % (", ".join(fmts), ", ".join(args))
    else:
        arg = 'argstr = ""'
    return lines, arg


def main():
    out = ["// syscall.NAME and syscall.NAME.return (also nd_syscall.*): stap's syscall tapset on the",
           "// syscalls:sys_enter_*/sys_exit_* tracepoints. Written by tools/gen_syscalls.py: edit",
           "// that, not this. The argstr formats and variables follow SystemTap's sysc_*.stp.", ""]
    nd = []
    for name in sorted(SPEC):
        tps, lines, arg, fmt = SPEC[name]
        body = '\tname = "%s"\n' % name + "".join("\t%s\n" % l for l in lines) + "\t" + arg
        opt = name in LEGACY or len(tps) > 1
        every = name in EVERY
        out.append(alias("syscall." + name, tps, "enter", body, opt, every))
        out.append(alias("syscall.%s.return" % name, tps, "exit", ret_body(name, fmt), opt, every))
        nd.append(name)
    out.append(PIPE)
    nd.append("pipe")
    evs = sorted(d[len("sys_enter_"):] for d in os.listdir(EV) if d.startswith("sys_enter_"))
    for ev in evs:
        if ev in COVERED or ev in SPEC:
            continue
        lines, arg = generic(ev)
        body = '\tname = "%s"\n' % ev + "".join("\t%s\n" % l for l in lines) + "\t" + arg
        out.append(alias("syscall." + ev, [ev], "enter", body))
        nd.append(ev)
        if os.path.exists(os.path.join(EV, "sys_exit_" + ev)):
            out.append(alias("syscall.%s.return" % ev, [ev], "exit", ret_body(ev, 1)))
    dest = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tapset", "linux")
    with open(os.path.join(dest, "syscalls.stp"), "w") as f:
        f.write("\n".join(out))
    with open(os.path.join(dest, "nd_syscalls.stp"), "w") as f:
        f.write("// nd_syscall.NAME: the same probes as syscall.NAME (no DWARF is ever needed here).\n"
                "// Written by tools/gen_syscalls.py.\n\n")
        for n in sorted(nd):
            f.write("probe nd_syscall.%s = syscall.%s {}\nprobe nd_syscall.%s.return = syscall.%s.return {}\n"
                    % (n, n, n, n))
    print("wrote", os.path.normpath(dest), file=sys.stderr)


main()
