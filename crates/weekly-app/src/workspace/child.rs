//! The programs `weekly` starts (the deploy command, Chromium): a short list of environment
//! variables and never a `WEEKLY_*` one (the secrets live there), and for Chromium no network
//! at all — the kernel refuses it IP sockets.

use crate::environment::Environment;
use anyhow::{Result, bail};
use std::process::Command;

/// The variables a child keeps from ours: what a shell, `git`, `ssh`, `rsync` and a browser
/// need to find their programs, home, language and agent.
const KEPT: [&str; 14] = [
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "TERM",
    "TMPDIR",
    "SSH_AUTH_SOCK",
    "XDG_RUNTIME_DIR",
];

/// Gives `command` a minimal environment: the variables of [`KEPT`] and those named in
/// `extra` (`[publish] pass_env`), when set. A `WEEKLY_` name in `extra` is refused: those
/// hold the program's secrets.
pub fn minimal_env(command: &mut Command, extra: &[String], field: &str) -> Result<()> {
    for name in extra {
        let name = name.trim();
        if name.to_ascii_uppercase().starts_with("WEEKLY_") {
            bail!("{field}: `{name}` is one of weekly's own variables, which no command is given");
        }
        if name.is_empty() || name.contains('=') || name.contains('\0') {
            bail!("{field}: `{name}` is not the name of an environment variable");
        }
    }
    command.env_clear();
    let names = KEPT.iter().copied().chain(extra.iter().map(|s| s.trim()));
    for name in names {
        if let Some(value) = Environment::process().raw(name) {
            command.env(name, value);
        }
    }
    Ok(())
}

/// Makes `command` unable to use the network: on Linux (x86-64 and AArch64) a seccomp filter
/// installed between `fork` and `exec` refuses `socket(AF_INET | AF_INET6, …)` with
/// `EAFNOSUPPORT` to it and every process it starts, so not even a name lookup or a probe can
/// leave the machine; local (Unix) sockets keep working. Returns false where no filter can be
/// installed (another system), and the caller relies on its flags alone.
pub fn without_network(command: &mut Command) -> bool {
    no_network::install(command)
}

#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
#[allow(unsafe_code)]
mod no_network {
    //! The one place with `unsafe` code: a classic-BPF seccomp program, and the `pre_exec`
    //! hook that installs it in the child. The hook makes two system calls and allocates
    //! nothing, as code between `fork` and `exec` must.

    use std::os::unix::process::CommandExt as _;
    use std::process::Command;

    #[cfg(target_arch = "x86_64")]
    const ARCH: u32 = 0xC000_003E; // AUDIT_ARCH_X86_64
    #[cfg(target_arch = "aarch64")]
    const ARCH: u32 = 0xC000_00B7; // AUDIT_ARCH_AARCH64
    /// x32 system calls on x86-64 carry this bit; none is needed, and each could be `socket`.
    const X32_BIT: u32 = 0x4000_0000;

    const LD_W_ABS: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
    const JEQ_K: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
    const JSET_K: u16 = 0x45; // BPF_JMP | BPF_JSET | BPF_K
    const RET_K: u16 = 0x06; // BPF_RET | BPF_K
    const RET_ALLOW: u32 = 0x7fff_0000; // SECCOMP_RET_ALLOW
    const RET_ERRNO: u32 = 0x0005_0000; // SECCOMP_RET_ERRNO

    fn op(code: u16, jt: u8, jf: u8, k: u32) -> libc::sock_filter {
        libc::sock_filter { code, jt, jf, k }
    }

    /// `seccomp_data`: `nr` at 0, `arch` at 4, `args[0]` at 16 (its low half first on both
    /// little-endian architectures).
    fn program() -> Vec<libc::sock_filter> {
        let socket = u32::try_from(libc::SYS_socket).expect("a small number");
        let refuse = RET_ERRNO | u32::try_from(libc::EAFNOSUPPORT).expect("a small number");
        vec![
            op(LD_W_ABS, 0, 0, 4),
            op(JEQ_K, 1, 0, ARCH),
            op(RET_K, 0, 0, RET_ALLOW), // another architecture: not ours to judge
            op(LD_W_ABS, 0, 0, 0),
            op(JSET_K, 5, 0, X32_BIT),
            op(JEQ_K, 0, 5, socket),
            op(LD_W_ABS, 0, 0, 16),
            op(JEQ_K, 2, 0, u32::try_from(libc::AF_INET).expect("small")),
            op(JEQ_K, 1, 0, u32::try_from(libc::AF_INET6).expect("small")),
            op(RET_K, 0, 0, RET_ALLOW),
            op(RET_K, 0, 0, refuse),
            op(RET_K, 0, 0, RET_ALLOW),
        ]
    }

    pub(super) fn install(command: &mut Command) -> bool {
        let filter = program();
        let count = u16::try_from(filter.len()).expect("a short program");
        // SAFETY: the hook runs in the forked child before `exec`; it only reads `filter`
        // (moved into the closure, allocated before the fork) and makes two system calls,
        // which are async-signal-safe. `PR_SET_NO_NEW_PRIVS` is what lets an unprivileged
        // process install a filter; the filter is inherited by every descendant.
        unsafe {
            command.pre_exec(move || {
                let fprog = libc::sock_fprog {
                    len: count,
                    filter: filter.as_ptr().cast_mut(),
                };
                if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                    || libc::prctl(
                        libc::PR_SET_SECCOMP,
                        libc::SECCOMP_MODE_FILTER,
                        &raw const fprog,
                    ) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        true
    }
}

#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
mod no_network {
    pub(super) fn install(_: &mut std::process::Command) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_gets_no_weekly_variable_and_only_the_names_it_was_given() {
        let mut c = Command::new("env");
        minimal_env(&mut c, &["AWS_PROFILE".into()], "[publish] pass_env").unwrap();
        let names: Vec<String> = c
            .get_envs()
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.starts_with("WEEKLY_")), "{names:?}");
        assert!(
            names
                .iter()
                .all(|n| KEPT.contains(&n.as_str()) || n == "AWS_PROFILE")
        );
        let err = minimal_env(&mut c, &["WEEKLY_SECRET".into()], "[publish] pass_env");
        assert!(
            err.unwrap_err()
                .to_string()
                .contains("[publish] pass_env: `WEEKLY_SECRET`")
        );
    }

    #[cfg(all(
        target_os = "linux",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    #[test]
    fn a_child_without_network_cannot_open_an_ip_socket_but_can_run() {
        // Python is on every machine that runs the tests (the mail tests need it).
        let script = "import socket\n\
            for family in (socket.AF_INET, socket.AF_INET6):\n\
            \x20   try:\n\
            \x20       socket.socket(family, socket.SOCK_DGRAM)\n\
            \x20       print('open')\n\
            \x20   except OSError as e:\n\
            \x20       print('refused', e.errno)\n\
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n\
            print('unix')\n";
        let mut c = Command::new("python3");
        c.args(["-c", script]);
        assert!(without_network(&mut c));
        let out = c.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let refused = format!("refused {}", libc::EAFNOSUPPORT);
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [refused.as_str(), refused.as_str(), "unix"],
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The same program without the filter opens both.
        let out = Command::new("python3")
            .args(["-c", script])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("open\nopen\n"));
    }
}
