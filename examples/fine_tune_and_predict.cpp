// Fine-tunes a classifier on a labelled CSV (text,label) and predicts two texts with it:
// the library's whole round trip, as an application built against an installed bertcls.
//
//   fine_tune_and_predict TRAIN.csv PRESET_DIR OUT [STEPS]
//
// PRESET_DIR is a folder with config.json and tokenizer files (share/bertcls/rubert-tiny2
// of an installed tree, or data/rubert-tiny2 of the source tree); the model is built
// from it with new weights. STEPS (default 2) keeps the run to seconds: enough to show
// the calls, not to learn anything. Without STEPS limits, the from-scratch defaults
// (5 epochs) train a usable model.
#include <bertcls/classifier.h>
#include <bertcls/fine_tune.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s TRAIN.csv PRESET_DIR OUT [STEPS]\n", argv[0]);
    return 2;
  }
  try {
    bertcls::FineTuneOptions options;
    options.train_files = {argv[1]};
    options.preset = argv[2];  // a folder: from scratch in that shape, a vocabulary learned from the texts
    options.out = argv[3];
    options.max_steps = argc > 4 ? std::atoll(argv[4]) : 2;
    options.epochs = 1;
    options.batch_size = 16;
    options.text.max_length = 32;

    bertcls::FineTuneCallbacks callbacks;
    callbacks.on_message = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
    callbacks.on_epoch = [](const bertcls::EpochReport& e) {
      std::printf("epoch %lld: train loss %.4f%s%s\n", (long long)e.epoch, e.train_loss,
                  e.valid ? ", validation " : "", e.valid ? e.valid->summary().c_str() : "");
    };
    const bertcls::FineTuneResult result = bertcls::fine_tune(options, callbacks);
    std::printf("model: %s\n", result.model_dir.c_str());

    const auto classifier = bertcls::Classifier::load(result.model_dir);
    const std::vector<std::string> texts = {"какой хороший день", "всё плохо, ничего не работает"};
    const auto predictions = classifier.predict(texts);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const bertcls::Prediction& p = predictions[i];
      std::printf("%s\t%s\t%.4f\n", texts[i].c_str(), classifier.labels()[p.label].c_str(), p.scores[p.label]);
    }
  } catch (const bertcls::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
