"""The demo history: past weeks of a branch, replayed through the services.

Every booking, check-in, call, rating and alert of the history is made by the same
service a visitor, advisor or manager would call, at the moment it happened (the
services read a fixed clock, see ``booking.timeutils.clock_at``). Numbers, journey
events, due times and figures therefore follow the production rules.
"""
