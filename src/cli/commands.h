// Each subcommand lives in its own file and registers itself on the app; main.cpp only
// wires them together (fastText style: the CLI stays thin, the library does the work).
#pragma once

#include <CLI/CLI.hpp>

namespace bertcls::cli {

void add_tokenize_command(CLI::App& app);
void add_download_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_pretrain_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_vocab_command(CLI::App& app);


}  // namespace bertcls::cli
