#pragma once
// The pooled connections of one database. A Lease is one connection, exclusively, until it
// is destroyed; a connection the server dropped is reopened at its next lease.
#include <soci/connection-pool.h>
#include <soci/session.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "persistence/connection_url.hpp"

namespace eskit::runtime::db::persistence {

class ConnectionPool {
 public:
  ConnectionPool(ConnectionTarget target, const DatabaseOptions& options);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::size_t position) : pool_(&pool), position_(position) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), position_(other.position_) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();

    soci::session& session() const { return pool_->pool_.at(position_); }
    // A statement failed for connection reasons: check (and reopen) at the next lease.
    void mark_suspect() const { pool_->suspect_[position_] = true; }

   private:
    ConnectionPool* pool_;
    std::size_t position_;
  };

  // Waits up to the acquire timeout; throws DatabaseError(pool_exhausted or connection).
  Lease acquire();

  const ConnectionTarget& target() const { return target_; }
  std::size_t size() const { return size_; }

 private:
  void connect(soci::session& session) const;

  ConnectionTarget target_;
  DatabaseOptions options_;
  std::size_t size_;
  soci::connection_pool pool_;
  std::unique_ptr<std::atomic<bool>[]> suspect_;
};

}  // namespace eskit::runtime::db::persistence
