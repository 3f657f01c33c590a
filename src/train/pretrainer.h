// Masked-LM pre-training of a model with the masked-LM head (BertForMaskedLM), the loop
// of run_mlm.py's Trainer on packed token blocks: each epoch shuffles the blocks into
// batches (train/batching.h; blocks are equal in length, so that is a plain shuffle), a
// batch's blocks are masked (mlm_masking.h, keyed by the seed, the run's batch number and
// the block), forward with dropout, the masked tokens' mean cross-entropy, backward; then,
// as fine-tuning does (trainer.h), gradient accumulation's mean, clip_grad_norm_, AdamW
// with the linear warm-up schedule. AdamW runs dense: the decoder is tied to the word
// embeddings, so every step's gradient reaches all their rows and lazy rows save nothing.
//
// It reuses fine-tuning's types: TrainerOptions (its classification fields unused),
// TrainerProgress and ResumePoint (so checkpoints and --resume are the same files),
// TrainerCallbacks (on_best gets the model at the end of every epoch: there is no
// validation to pick one) and FitResult.
#pragma once

#include "model/bert_classifier.h"
#include "train/mlm_masking.h"
#include "train/token_blocks.h"
#include "train/trainer.h"

namespace bertcls::train {

// Trains in place, from the start or from `resume`. Throws bertcls::Error for a model
// without the masked-LM head, bad options, no blocks, or a resume point that does not fit.
FitResult pretrain(model::BertClassifier& model, const TokenBlocks& blocks, const MaskingOptions& masking,
                   const TrainerOptions& options, const TrainerCallbacks& callbacks = {},
                   const ResumePoint* resume = nullptr);

}  // namespace bertcls::train
