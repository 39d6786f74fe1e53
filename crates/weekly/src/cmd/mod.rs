//! One module per subcommand: its arguments and its `run` function.

pub mod check;
pub mod import;
pub mod info;
pub mod init;
pub mod readme;
pub mod render;
pub mod split;
pub mod stats;
pub mod translate;
