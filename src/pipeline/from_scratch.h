// What a fine-tuning run without a model does before it fine-tunes: learn a WordPiece
// vocabulary from its texts and pre-train a masked language model on them, so that the
// classifier starts from an encoder that has seen the language rather than from noise.
//
// Everything lands in OUT/from-scratch, and each stage is what the commands make:
//   texts.txt       the training texts (and pairs' second texts), one per line
//   vocabulary/     `bertcls vocab` on texts.txt and the unlabelled files, plus the
//                   preset's config.json with the vocabulary's size
//   pretraining/    `bertcls pretrain --preset vocabulary` on the same texts
//   pretrained.json written when pre-training finished: the stage is done
//   options.json    the options below, which a resumed run must repeat
// A resumed run keeps the stages that are done and resumes pre-training from its last
// checkpoint when it was interrupted there.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include <bertcls/fine_tune.h>

#include "io/dataset.h"

namespace bertcls::pipeline {

struct ScratchStart {
  std::filesystem::path folder;  // config.json and tokenizer; with pre-training, weights too
  bool pretrained = false;       // folder holds an encoder's weights to start from
  bool interrupted = false;      // pre-training was stopped: resume the run to continue it
  std::int64_t pretrain_step = 0;
};

// The options that shape the stages (also part of the fine-tuning run's fingerprint).
nlohmann::json from_scratch_fingerprint(const FineTuneOptions& options);

// `train` are the examples fine-tuning trains on (not the validation ones). `resuming`
// keeps OUT/from-scratch's finished stages; otherwise the folder is started afresh.
ScratchStart start_from_scratch(const FineTuneOptions& options, const std::vector<io::Example>& train, bool resuming,
                                const FineTuneCallbacks& callbacks);

}  // namespace bertcls::pipeline
