// Runs the built bertcls binary with a shell argument string and captures what it
// prints, so CLI tests read as "run this, expect that".
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace bertcls::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// `env` ("NAME=value ...") and `args` are pasted into a shell command line around the
// binary; quote as in a shell.
inline CliResult run_cli_with_env(const std::string& env, const std::string& args,
                                  const std::string& stdin_text = "") {
  namespace fs = std::filesystem;
  static int counter = 0;
  fs::path dir = fs::temp_directory_path() /
                 ("bertcls_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  fs::create_directories(dir);
  fs::path in = dir / "stdin", out = dir / "stdout", err = dir / "stderr";
  std::ofstream(in, std::ios::binary) << stdin_text;
  std::string cmd = env + "'" + BERTCLS_CLI + "' " + args + " <'" + in.string() + "' >'" +
                    out.string() + "' 2>'" + err.string() + "'";
  int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove_all(dir);
  return r;
}

inline CliResult run_cli(const std::string& args, const std::string& stdin_text = "") {
  return run_cli_with_env("", args, stdin_text);
}

}  // namespace bertcls::test
