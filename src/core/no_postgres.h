// The core must build and be unit-tested without PostgreSQL: refuse to compile
// if postgres.h got included first (it defines POSTGRES_H).
#pragma once
#ifdef POSTGRES_H
#error "src/core must not include PostgreSQL headers; go through src/bridge"
#endif
