/* The C API, from C: capi_test MODEL_DIR
 * MODEL_DIR is a trained model folder (ctest trains a tiny one first). Prints each check
 * that fails and exits 1 if any did. */
#include <bertcls/bertcls.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;

#define EXPECT(condition)                                              \
  do {                                                                 \
    if (!(condition)) {                                                \
      fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #condition); \
      ++failures;                                                      \
    }                                                                  \
  } while (0)

/* A model folder loads; two texts get a label in range each and scores that sum to 1. */
static void predicts_two_texts(const char* model_dir) {
  bertcls_classifier* clf = bertcls_load(model_dir);
  if (clf == NULL) {
    fprintf(stderr, "bertcls_load(%s): %s\n", model_dir, bertcls_last_error());
    ++failures;
    return;
  }
  size_t k = bertcls_num_labels(clf);
  EXPECT(k == 2);
  EXPECT(bertcls_label(clf, 0) != NULL && bertcls_label(clf, 1) != NULL);
  EXPECT(bertcls_label(clf, k) == NULL);

  const char* texts[] = {"какой хороший день", "всё плохо, ничего не работает"};
  int labels[2] = {-1, -1};
  float scores[2 * 2] = {0};
  EXPECT(bertcls_predict(clf, texts, 2, labels, scores) == 0);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT(labels[i] >= 0 && (size_t)labels[i] < k);
    EXPECT(fabsf(scores[i * 2] + scores[i * 2 + 1] - 1.0f) < 1e-5f);
    EXPECT(scores[i * 2 + labels[i]] >= scores[i * 2 + 1 - labels[i]]);
  }
  EXPECT(bertcls_predict(clf, texts, 2, labels, NULL) == 0); /* scores are optional */
  EXPECT(bertcls_predict(clf, NULL, 0, NULL, NULL) == 0);    /* no texts, nothing to write */
  bertcls_free(clf);
}

/* A missing folder is NULL and a message naming it, not an exception through C. */
static void missing_folder_is_null_with_its_name(void) {
  const char* missing = "/nonexistent/bertcls-capi-model";
  EXPECT(bertcls_load(missing) == NULL);
  EXPECT(strstr(bertcls_last_error(), missing) != NULL);
  EXPECT(bertcls_load(NULL) == NULL);
  EXPECT(bertcls_predict(NULL, NULL, 0, NULL, NULL) == -1);
  EXPECT(bertcls_num_labels(NULL) == 0);
  bertcls_free(NULL);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s MODEL_DIR\n", argv[0]);
    return 2;
  }
  EXPECT(strlen(bertcls_version()) > 0);
  predicts_two_texts(argv[1]);
  missing_folder_is_null_with_its_name();
  if (failures == 0) printf("capi: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
