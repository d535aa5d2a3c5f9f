"""The bare baseline of the benchmarks: a minimal Django + DRF app outside the project's
stack (no project settings, middleware, authentication or services). It shares the
project's database tables through unmanaged models, so both sides read the same rows."""
