// GET /openapi.json: what the server answers, as an OpenAPI 3 document, for client
// generators and for the /docs page. A test checks that it names every route the server
// has and that it is valid JSON; keep it beside server.cpp's route table when either changes.
#pragma once

namespace bertcls::serve {

inline constexpr const char* kOpenApi = R"JSON({
  "openapi": "3.0.3",
  "info": {
    "title": "bertcls serve",
    "description": "A BERT text classifier over HTTP: text-embeddings-inference's /predict, /tokenize and /decode, and Hugging Face Inference Endpoints' text-classification task on POST /. With --api-key, every route but /health, /, /docs and /openapi.json needs Authorization: Bearer KEY.",
    "version": "1"
  },
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "schemas": {
      "Texts": {"oneOf": [{"type": "string", "minLength": 1}, {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}]},
      "Score": {"type": "object", "required": ["label", "score"], "properties": {"label": {"type": "string"}, "score": {"type": "number"}}},
      "Scores": {"type": "array", "items": {"$ref": "#/components/schemas/Score"}, "description": "Sorted by score, best first"},
      "PredictRequest": {
        "type": "object", "required": ["inputs"], "additionalProperties": false,
        "properties": {
          "inputs": {"$ref": "#/components/schemas/Texts"},
          "text_pair": {"$ref": "#/components/schemas/Texts"},
          "top_k": {"type": "integer", "minimum": 1, "nullable": true},
          "truncate": {"type": "boolean", "default": false, "description": "Cut texts longer than the model takes instead of answering 413"},
          "raw_scores": {"type": "boolean", "default": false, "description": "Logits instead of probabilities"},
          "truncation_direction": {"type": "string", "enum": ["Right"]}
        }
      },
      "PredictResponse": {"oneOf": [{"$ref": "#/components/schemas/Scores"}, {"type": "array", "items": {"$ref": "#/components/schemas/Scores"}}],
                          "description": "One list of scores for one input, a list of them for a list of inputs"},
      "PipelineRequest": {
        "type": "object", "required": ["inputs"], "additionalProperties": false,
        "properties": {
          "inputs": {"$ref": "#/components/schemas/Texts"},
          "parameters": {
            "type": "object", "additionalProperties": false, "nullable": true,
            "properties": {
              "top_k": {"type": "integer", "minimum": 1, "nullable": true, "description": "Default: every label"},
              "function_to_apply": {"type": "string", "enum": ["softmax", "sigmoid", "none"]},
              "truncation": {"type": "boolean", "default": false}
            }
          }
        }
      },
      "PipelineResponse": {"type": "array", "items": {"$ref": "#/components/schemas/Scores"}, "description": "Always one list per input"},
      "TokenizeRequest": {
        "type": "object", "required": ["inputs"], "additionalProperties": false,
        "properties": {"inputs": {"$ref": "#/components/schemas/Texts"}, "add_special_tokens": {"type": "boolean", "default": true}}
      },
      "Token": {
        "type": "object", "required": ["id", "text", "special", "start", "stop"],
        "properties": {
          "id": {"type": "integer"}, "text": {"type": "string"}, "special": {"type": "boolean"},
          "start": {"type": "integer", "nullable": true, "description": "Byte offset into the input; null for special tokens"},
          "stop": {"type": "integer", "nullable": true}
        }
      },
      "TokenizeResponse": {"type": "array", "items": {"type": "array", "items": {"$ref": "#/components/schemas/Token"}}},
      "DecodeRequest": {
        "type": "object", "required": ["ids"], "additionalProperties": false,
        "properties": {
          "ids": {"oneOf": [{"type": "array", "items": {"type": "integer", "minimum": 0}},
                            {"type": "array", "items": {"type": "array", "items": {"type": "integer", "minimum": 0}}}]},
          "skip_special_tokens": {"type": "boolean", "default": true}
        }
      },
      "DecodeResponse": {"type": "array", "items": {"type": "string"}},
      "ReloadRequest": {"type": "object", "additionalProperties": false, "properties": {"model": {"type": "string", "description": "A model folder or hub name; default: the current folder again"}}},
      "Info": {
        "type": "object",
        "properties": {
          "model_id": {"type": "string"}, "model_path": {"type": "string"}, "model_sha256": {"type": "string"},
          "loaded_at": {"type": "string", "format": "date-time"}, "load_seconds": {"type": "number"},
          "labels": {"type": "array", "items": {"type": "string"}}, "max_input_length": {"type": "integer"},
          "long_texts": {"type": "string", "enum": ["truncate", "chunk"]}, "max_batch_size": {"type": "integer"},
          "max_wait_ms": {"type": "integer"}, "max_queued_texts": {"type": "integer"}, "max_inputs": {"type": "integer"},
          "max_body_bytes": {"type": "integer"}, "timeout_ms": {"type": "integer"}, "workers": {"type": "integer"},
          "version": {"type": "string"}
        }
      },
      "Error": {"type": "object", "required": ["error", "error_type"], "properties": {"error": {"type": "string"}, "error_type": {"type": "string"}}}
    },
    "responses": {
      "ClientError": {"description": "The request is wrong: the error names the field", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unauthorized": {"description": "No API key, or a wrong one", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Busy": {"description": "Queue full or no answer in time; retry after Retry-After seconds", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "headers": {
      "RequestId": {"description": "The request's id: the client's x-request-id when usable, else a new one", "schema": {"type": "string"}}
    }
  },
  "security": [{"bearer": []}],
  "paths": {
    "/predict": {"post": {
      "summary": "Classify texts (text-embeddings-inference's shape)",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictRequest"}}}},
      "responses": {
        "200": {"description": "Scores per input; x-compute-time, x-compute-tokens, x-compute-characters, x-tokenization-time, x-queue-time, x-inference-time, x-total-time headers in milliseconds",
                "headers": {"x-request-id": {"$ref": "#/components/headers/RequestId"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictResponse"}}}},
        "400": {"$ref": "#/components/responses/ClientError"}, "401": {"$ref": "#/components/responses/Unauthorized"},
        "413": {"$ref": "#/components/responses/ClientError"}, "422": {"$ref": "#/components/responses/ClientError"},
        "503": {"$ref": "#/components/responses/Busy"}}}},
    "/": {
      "post": {
        "summary": "Classify texts (Hugging Face Inference Endpoints' text-classification task)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PipelineRequest"}}}},
        "responses": {
          "200": {"description": "Scores per input, always a list of lists; the same timing headers as /predict",
                  "headers": {"x-request-id": {"$ref": "#/components/headers/RequestId"}},
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PipelineResponse"}}}},
          "400": {"$ref": "#/components/responses/ClientError"}, "401": {"$ref": "#/components/responses/Unauthorized"},
          "413": {"$ref": "#/components/responses/ClientError"}, "422": {"$ref": "#/components/responses/ClientError"},
          "503": {"$ref": "#/components/responses/Busy"}}},
      "get": {"summary": "A page to try the model by hand", "security": [],
              "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}}}},
    "/tokenize": {"post": {
      "summary": "Every token of each text, with byte offsets (text-embeddings-inference's shape)",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenizeRequest"}}}},
      "responses": {
        "200": {"description": "Tokens per input", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenizeResponse"}}}},
        "400": {"$ref": "#/components/responses/ClientError"}, "401": {"$ref": "#/components/responses/Unauthorized"},
        "413": {"$ref": "#/components/responses/ClientError"}, "422": {"$ref": "#/components/responses/ClientError"}}}},
    "/decode": {"post": {
      "summary": "Token ids back to text (text-embeddings-inference's shape)",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecodeRequest"}}}},
      "responses": {
        "200": {"description": "One text per list of ids", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecodeResponse"}}}},
        "400": {"$ref": "#/components/responses/ClientError"}, "401": {"$ref": "#/components/responses/Unauthorized"},
        "413": {"$ref": "#/components/responses/ClientError"}, "422": {"$ref": "#/components/responses/ClientError"}}}},
    "/admin/reload": {"post": {
      "summary": "Load the model folder again (or another) and switch new requests to it; requests in flight finish on the old model",
      "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReloadRequest"}}}},
      "responses": {
        "200": {"description": "The new model", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Info"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"description": "The server runs without --api-key, so it does not reload over HTTP (send SIGHUP)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "422": {"description": "The folder did not load or check; the old model keeps serving", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/health": {"get": {"summary": "200 once the model is loaded", "security": [],
                        "responses": {"200": {"description": "Serving", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string"}}}}}}}}},
    "/info": {"get": {"summary": "The model and the server's limits",
                      "responses": {"200": {"description": "Info", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Info"}}}},
                                    "401": {"$ref": "#/components/responses/Unauthorized"}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics",
                         "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {}}},
                                       "401": {"$ref": "#/components/responses/Unauthorized"}}}},
    "/openapi.json": {"get": {"summary": "This document", "security": [],
                              "responses": {"200": {"description": "OpenAPI 3", "content": {"application/json": {}}}}}},
    "/docs": {"get": {"summary": "This document as a page", "security": [],
                      "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}}}}
  }
})JSON";

}  // namespace bertcls::serve
