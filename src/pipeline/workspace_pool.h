// Workspaces for the threads that run one set of shared weights: a call borrows one (a
// fresh one when all are out) and gives it back, so N concurrent callers keep N arenas
// warm and the weights exist once.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "model/bert_workspace.h"

namespace bertcls::pipeline {

class WorkspacePool {
 public:
  class Lease {
   public:
    Lease(WorkspacePool& pool, std::unique_ptr<model::BertWorkspace> ws) : pool_(pool), ws_(std::move(ws)) {}
    ~Lease() { pool_.give_back(std::move(ws_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    model::BertWorkspace& operator*() { return *ws_; }

   private:
    WorkspacePool& pool_;
    std::unique_ptr<model::BertWorkspace> ws_;
  };

  Lease borrow() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) return Lease(*this, std::make_unique<model::BertWorkspace>());
    std::unique_ptr<model::BertWorkspace> ws = std::move(free_.back());
    free_.pop_back();
    return Lease(*this, std::move(ws));
  }

 private:
  void give_back(std::unique_ptr<model::BertWorkspace> ws) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(ws));
  }

  std::mutex mutex_;
  std::vector<std::unique_ptr<model::BertWorkspace>> free_;
};

}  // namespace bertcls::pipeline
