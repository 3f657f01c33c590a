// config.json <-> ModelConfig with Hugging Face's defaults and rules; what bertcls cannot
// honour is an error naming the file and field; saving writes what HF loads back.
#include <gtest/gtest.h>

#include "hf/model_config.h"
#include "support/io_test_support.h"

namespace bertcls::hf {
namespace {

using nlohmann::json;
using model::Activation;
using model::ProblemType;

const std::string kSource = "config.json";

// The engine's numbers of a document; labels() its label names.
model::BertConfig parse(const json& doc) { return model_config_from_json(doc, kSource).bert; }
std::vector<std::string> labels(const json& doc) { return model_config_from_json(doc, kSource).id2label; }

json tiny() {
  return {{"model_type", "bert"}, {"vocab_size", 100}, {"hidden_size", 8}, {"num_hidden_layers", 2},
          {"num_attention_heads", 2}, {"intermediate_size", 16}};
}

json with(json doc, const std::string& field, const json& value) {
  doc[field] = value;
  return doc;
}

TEST(ModelConfigJson, ReadsTheFixtureModel) {
  const ModelConfig full = read_model_config(test::checkpoint_fixture("safetensors_f32/config.json"));
  const model::BertConfig& config = full.bert;
  EXPECT_EQ(config.vocab_size, 24);
  EXPECT_EQ(config.hidden_size, 8);
  EXPECT_EQ(config.num_hidden_layers, 2);
  EXPECT_EQ(config.num_attention_heads, 2);
  EXPECT_EQ(config.intermediate_size, 16);
  EXPECT_EQ(config.max_position_embeddings, 16);
  EXPECT_EQ(config.hidden_act, Activation::gelu);
  EXPECT_FLOAT_EQ(config.layer_norm_eps, 1e-12f);
  EXPECT_FLOAT_EQ(config.classifier_dropout, 0.1f);  // null -> hidden_dropout_prob
  EXPECT_EQ(full.id2label, (std::vector<std::string>{"negative", "neutral", "positive"}));
  EXPECT_EQ(config.num_labels, 3);
  EXPECT_FALSE(config.problem_type);
}

TEST(ModelConfigJson, MissingFieldsTakeHuggingFaceDefaults) {
  const auto config = parse(json::object());
  EXPECT_EQ(config.vocab_size, 30522);
  EXPECT_EQ(config.hidden_size, 768);
  EXPECT_EQ(config.num_hidden_layers, 12);
  EXPECT_EQ(config.num_attention_heads, 12);
  EXPECT_EQ(config.intermediate_size, 3072);
  EXPECT_EQ(config.max_position_embeddings, 512);
  EXPECT_EQ(config.type_vocab_size, 2);
  EXPECT_EQ(config.pad_token_id, 0);
  EXPECT_FLOAT_EQ(config.hidden_dropout_prob, 0.1f);
  EXPECT_FLOAT_EQ(config.attention_probs_dropout_prob, 0.1f);
  EXPECT_FLOAT_EQ(config.initializer_range, 0.02f);
  EXPECT_EQ(labels(json::object()), (std::vector<std::string>{"LABEL_0", "LABEL_1"}));
}

TEST(ModelConfigJson, NumLabelsWithoutId2LabelNamesThem) {
  EXPECT_EQ(labels(with(tiny(), "num_labels", 3)), (std::vector<std::string>{"LABEL_0", "LABEL_1", "LABEL_2"}));
}

TEST(ModelConfigJson, Id2LabelWinsOverNumLabelsAsInHuggingFace) {
  auto doc = with(tiny(), "id2label", {{"1", "pos"}, {"0", "neg"}});
  doc["num_labels"] = 5;
  EXPECT_EQ(labels(doc), (std::vector<std::string>{"neg", "pos"}));
}

TEST(ModelConfigJson, Id2LabelMustCoverEveryId) {
  test::expect_error([] { parse(with(tiny(), "id2label", {{"0", "a"}, {"2", "b"}})); }, {"config.json", "\"id2label\"", "\"2\""});
  test::expect_error([] { parse(with(tiny(), "id2label", {{"x", "a"}})); }, {"\"id2label\"", "\"x\""});
  test::expect_error([] { parse(with(tiny(), "id2label", {{"0", 1}})); }, {"\"id2label\"", "must be a string"});
}

TEST(ModelConfigJson, ActivationsMapToWhatTheEngineComputes) {
  EXPECT_EQ(parse(with(tiny(), "hidden_act", "gelu")).hidden_act, Activation::gelu);
  EXPECT_EQ(parse(with(tiny(), "hidden_act", "gelu_new")).hidden_act, Activation::gelu_tanh);
  EXPECT_EQ(parse(with(tiny(), "hidden_act", "gelu_pytorch_tanh")).hidden_act, Activation::gelu_tanh);
  EXPECT_EQ(parse(with(tiny(), "hidden_act", "relu")).hidden_act, Activation::relu);
  EXPECT_EQ(parse(with(tiny(), "hidden_act", "swish")).hidden_act, Activation::silu);
  test::expect_error([] { parse(with(tiny(), "hidden_act", "quick_gelu")); }, {"config.json", "\"hidden_act\"", "\"quick_gelu\" is not supported"});
}

TEST(ModelConfigJson, WhatCannotBeHonouredIsAnError) {
  test::expect_error([] { parse(with(tiny(), "model_type", "gpt2")); },
                     {"config.json", "\"model_type\"", "\"gpt2\" is not a model bertcls runs",
                      "bert, roberta, xlm-roberta, distilbert, electra"});
  test::expect_error([] { parse(with(tiny(), "position_embedding_type", "relative_key")); },
                     {"\"position_embedding_type\"", "\"relative_key\" is not supported"});
  test::expect_error([] { parse(with(tiny(), "is_decoder", true)); }, {"\"is_decoder\""});
  test::expect_error([] { parse(with(tiny(), "num_attention_heads", 3)); }, {"\"num_attention_heads\"", "does not divide hidden_size 8"});
  test::expect_error([] { parse(with(tiny(), "problem_type", "ranking")); }, {"\"problem_type\"", "\"ranking\""});
}

TEST(ModelConfigJson, EachFamilyReadsItsOwnKeysAndDefaults) {
  json roberta = with(with(with(tiny(), "model_type", "roberta"), "type_vocab_size", 1), "max_position_embeddings", 34);
  const model::BertConfig r = parse(roberta);
  EXPECT_EQ(r.family, model::Family::roberta);
  EXPECT_EQ(r.pad_token_id, 1) << "RobertaConfig's default";
  EXPECT_EQ(r.position_offset, 2) << "positions count from padding_idx + 1";
  EXPECT_EQ(r.type_vocab_size, 1);
  EXPECT_EQ(parse(with(roberta, "model_type", "xlm-roberta")).family, model::Family::xlm_roberta);

  const json distil = {{"model_type", "distilbert"}, {"vocab_size", 100}, {"dim", 8}, {"n_layers", 3},
                       {"n_heads", 2}, {"hidden_dim", 16}, {"activation", "relu"}, {"dropout", 0.2},
                       {"attention_dropout", 0.3}};
  const model::BertConfig d = parse(distil);
  EXPECT_EQ(d.family, model::Family::distilbert);
  EXPECT_EQ(d.hidden_size, 8);
  EXPECT_EQ(d.num_hidden_layers, 3);
  EXPECT_EQ(d.intermediate_size, 16);
  EXPECT_EQ(d.hidden_act, Activation::relu);
  EXPECT_EQ(d.type_vocab_size, 0) << "no token type embeddings";
  EXPECT_FLOAT_EQ(d.hidden_dropout_prob, 0.2f);
  EXPECT_FLOAT_EQ(d.attention_probs_dropout_prob, 0.3f);
  EXPECT_FLOAT_EQ(d.classifier_dropout, 0.2f) << "seq_classif_dropout's default";
  EXPECT_FALSE(d.attention_output_dropout());
  EXPECT_FALSE(d.sinusoidal_positions);
  const model::BertConfig fixed = parse(with(distil, "sinusoidal_pos_embds", true));
  EXPECT_TRUE(fixed.sinusoidal_positions);
  EXPECT_EQ(model_config_to_json(model_config_from_json(with(distil, "sinusoidal_pos_embds", true), kSource))["sinusoidal_pos_embds"],
            true);
  EXPECT_EQ(d.head_activation(), Activation::relu);

  const model::BertConfig e = parse(with(with(tiny(), "model_type", "electra"), "embedding_size", 4));
  EXPECT_EQ(e.family, model::Family::electra);
  EXPECT_EQ(e.embedding_width(), 4);
  EXPECT_TRUE(e.projects_embeddings());
  EXPECT_TRUE(e.head_input_dropout());
  EXPECT_EQ(e.head_activation(), Activation::gelu);
}

TEST(ModelConfigJson, SavingWritesTheFamilysNamesAndArchitecture) {
  const json distil = {{"model_type", "distilbert"}, {"vocab_size", 100}, {"dim", 8}, {"n_layers", 3},
                       {"n_heads", 2}, {"hidden_dim", 16}, {"seq_classif_dropout", 0.25}};
  const json saved = model_config_to_json(model_config_from_json(distil, kSource));
  EXPECT_EQ(saved["architectures"], json({"DistilBertForSequenceClassification"}));
  EXPECT_EQ(saved["dim"], 8);
  EXPECT_EQ(saved["hidden_dim"], 16);
  EXPECT_EQ(saved["seq_classif_dropout"], 0.25);
  EXPECT_FALSE(saved.contains("hidden_size")) << "DistilBertConfig has no such key";
  EXPECT_FALSE(saved.contains("type_vocab_size"));
  EXPECT_EQ(parse(saved).num_hidden_layers, 3) << "reads back";
  for (const auto& [type, architecture] : {std::pair{"roberta", "RobertaForSequenceClassification"},
                                           std::pair{"xlm-roberta", "XLMRobertaForSequenceClassification"},
                                           std::pair{"electra", "ElectraForSequenceClassification"}}) {
    const json out = model_config_to_json(model_config_from_json(with(tiny(), "model_type", type), kSource));
    EXPECT_EQ(out["architectures"], json({architecture}));
    EXPECT_EQ(out["model_type"], type);
  }
}

TEST(ModelConfigJson, BadValuesNameTheField) {
  test::expect_error([] { parse(with(tiny(), "hidden_size", -8)); }, {"config.json: field \"hidden_size\"", "positive integer"});
  test::expect_error([] { parse(with(tiny(), "hidden_size", 8.5)); }, {"\"hidden_size\"", "positive integer"});
  test::expect_error([] { parse(with(tiny(), "vocab_size", "100")); }, {"\"vocab_size\"", "positive integer"});
  test::expect_error([] { parse(with(tiny(), "hidden_dropout_prob", 1.5)); }, {"\"hidden_dropout_prob\"", "[0, 1]"});
  test::expect_error([] { parse(with(tiny(), "layer_norm_eps", 0)); }, {"\"layer_norm_eps\"", "positive"});
  test::expect_error([] { parse(with(tiny(), "pad_token_id", 100)); }, {"\"pad_token_id\"", "below vocab_size 100"});
  test::expect_error([] { parse(json::array()); }, {"config.json", "JSON object"});
}

TEST(ModelConfigJson, ExplicitClassifierDropoutAndProblemType) {
  auto doc = with(tiny(), "classifier_dropout", 0.3);
  doc["problem_type"] = "multi_label_classification";
  const auto config = parse(doc);
  EXPECT_FLOAT_EQ(config.classifier_dropout, 0.3f);
  EXPECT_EQ(config.problem_type, ProblemType::multi_label_classification);
}

TEST(ModelConfigJson, NullPadTokenMeansNoPaddingRow) { EXPECT_EQ(parse(with(tiny(), "pad_token_id", nullptr)).pad_token_id, -1); }

TEST(ModelConfigJson, FileErrorsNameTheFile) {
  test::ScratchDir dir;
  test::write_bytes(dir / "config.json", test::to_bytes(R"({"hidden_size": 8, "hidden_size": 16})"));
  test::expect_error([&] { read_model_config(dir / "config.json"); }, {(dir / "config.json").string(), "duplicate key \"hidden_size\""});
  test::write_bytes(dir / "config.json", test::to_bytes(R"({"hidden_size": )"));
  test::expect_error([&] { read_model_config(dir / "config.json"); }, {(dir / "config.json").string(), "invalid JSON"});
  test::expect_error([&] { read_model_config(dir / "missing.json"); }, {"missing.json", "cannot open"});
}

TEST(ModelConfigJson, SavedConfigIsWhatHuggingFaceLoads) {
  auto doc = tiny();
  doc["architectures"] = {"BertModel"};
  doc["_name_or_path"] = "cointegrated/rubert-tiny2";
  doc["emb_size"] = 8;
  doc["hidden_act"] = "gelu_pytorch_tanh";
  doc["classifier_dropout"] = nullptr;
  doc["num_labels"] = 2;
  ModelConfig config = model_config_from_json(doc, kSource);
  config.set_labels({"negative", "positive"});
  config.bert.hidden_dropout_prob = 0.2f;
  config.bert.classifier_dropout = 0.2f;
  const json saved = model_config_to_json(config);
  EXPECT_EQ(saved["architectures"], json({"BertForSequenceClassification"}));
  EXPECT_EQ(saved["_name_or_path"], "cointegrated/rubert-tiny2");  // keys bertcls does not interpret survive
  EXPECT_EQ(saved["emb_size"], 8);
  EXPECT_EQ(saved["hidden_act"], "gelu_pytorch_tanh");             // the source's spelling of the same op
  EXPECT_EQ(saved["hidden_dropout_prob"].dump(), "0.2");            // shortest decimal, not 0.200000003
  EXPECT_TRUE(saved["classifier_dropout"].is_null());               // still "same as hidden dropout"
  EXPECT_EQ(saved["id2label"], json({{"0", "negative"}, {"1", "positive"}}));
  EXPECT_EQ(saved["label2id"], json({{"negative", 0}, {"positive", 1}}));
  EXPECT_FALSE(saved.contains("num_labels"));
  EXPECT_FALSE(saved.contains("problem_type"));
  EXPECT_EQ(saved["torch_dtype"], "float32");

  config.bert.problem_type = ProblemType::regression;
  config.bert.classifier_dropout = 0.5f;
  const json again = model_config_to_json(config);
  EXPECT_EQ(again["problem_type"], "regression");
  EXPECT_EQ(again["classifier_dropout"].dump(), "0.5");
}

TEST(ModelConfigJson, WriteThenReadGivesTheSameConfig) {
  test::ScratchDir dir;
  auto config = read_model_config(test::checkpoint_fixture("torch_bin/config.json"));
  config.bert.problem_type = ProblemType::single_label_classification;
  write_model_config(dir / "config.json", config);
  const auto back = read_model_config(dir / "config.json");
  EXPECT_EQ(back.id2label, config.id2label);
  EXPECT_EQ(back.bert.hidden_size, config.bert.hidden_size);
  EXPECT_EQ(back.bert.layer_norm_eps, config.bert.layer_norm_eps);
  EXPECT_EQ(back.bert.classifier_dropout, config.bert.classifier_dropout);
  EXPECT_EQ(back.bert.problem_type, ProblemType::single_label_classification);
  EXPECT_EQ(model_config_to_json(back), model_config_to_json(config));
}

}  // namespace
}  // namespace bertcls::hf
