//! Images made for readers: `fit` scales and compresses a picture under a byte budget,
//! `name` gives it a dated, readable file name, `store` puts it where the site and mail can
//! reach it (a folder of the workspace or an S3-compatible bucket).

pub mod fit;
pub mod name;
pub mod store;

pub use fit::{FitError, Fitted, Format, fit};
pub use store::{Bucket, DryRun, Folder, ImageStore, Placed, StoreError};
