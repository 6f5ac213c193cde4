pub mod helm;
