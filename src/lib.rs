//! paved: platform standards as code.
pub mod parse;
pub mod source;
