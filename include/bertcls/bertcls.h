/* bertcls from C (or any language with a C FFI): load a classifier, predict texts.
 *
 *   #include <bertcls/bertcls.h>
 *   bertcls_classifier* clf = bertcls_load("out/model");
 *   if (!clf) { fprintf(stderr, "%s\n", bertcls_last_error()); return 1; }
 *   const char* texts[] = {"какой хороший день", "всё плохо"};
 *   int labels[2];
 *   if (bertcls_predict(clf, texts, 2, labels, NULL) == 0)
 *     printf("%s %s\n", bertcls_label(clf, labels[0]), bertcls_label(clf, labels[1]));
 *   bertcls_free(clf);
 *
 * Link with -lbertcls (pkg-config bertcls). No function throws: on an error each returns
 * NULL or -1 and bertcls_last_error() says why (a message of the calling thread, kept
 * until that thread's next failing call). A classifier may be used by several threads at
 * once, as bertcls::Classifier may. */
#ifndef BERTCLS_BERTCLS_H
#define BERTCLS_BERTCLS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bertcls_classifier bertcls_classifier;

/* A model folder (config.json, weights, tokenizer files) or a hub name ORG/NAME[@REV].
 * NULL on error. */
bertcls_classifier* bertcls_load(const char* model);

/* Predicts n texts (UTF-8, NUL-terminated). labels_out[i] gets text i's label id;
 * scores_out, unless NULL, gets n * bertcls_num_labels() scores, text by text.
 * 0 on success, -1 on error (the outputs are then unspecified). */
int bertcls_predict(bertcls_classifier* classifier, const char* const* texts, size_t n, int* labels_out,
                    float* scores_out);

/* The number of labels K, and label i's name (valid while the classifier lives); 0 and
 * NULL for a NULL classifier or i out of range. */
size_t bertcls_num_labels(const bertcls_classifier* classifier);
const char* bertcls_label(const bertcls_classifier* classifier, size_t i);

void bertcls_free(bertcls_classifier* classifier); /* NULL is fine */

/* The calling thread's last error message ("" when none). */
const char* bertcls_last_error(void);

const char* bertcls_version(void); /* "0.1.0" */

#ifdef __cplusplus
}
#endif

#endif /* BERTCLS_BERTCLS_H */
