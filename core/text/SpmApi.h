#pragma once

// The plain C interface of the idgenrec_spm module, the only code that links SentencePiece.
// SentencePiece (with its own protobuf) and LibTorch crash when linked into one process
// (platform.md, trap 1), so the module is loaded at run time with RTLD_DEEPBIND and everything
// crossing this boundary is C: no exceptions, no std:: types, every buffer the module allocates
// is released by the module's own idgen_spm_free.
//
// Errors: functions returning `char *` return NULL on success and otherwise a message that the
// caller frees with idgen_spm_free.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// Bumped on every incompatible change of a signature or of idgen_spm_train_options.
#define IDGEN_SPM_API_VERSION 1

typedef struct idgen_spm_model idgen_spm_model;

typedef struct idgen_spm_train_options {
    const char *model_type;      // "unigram" or "bpe"
    int vocab_size;              // a soft limit: small corpora may give fewer pieces
    double character_coverage;   // share of characters covered by pieces, e.g. 0.9995
    int lowercase;               // nonzero: normalization rule nmt_nfkc_cf, else nmt_nfkc
    long long input_sentence_size; // at most this many sentences are sampled (0: all)
    int max_sentence_length;     // in bytes; longer lines are skipped by SentencePiece
    int num_threads;
} idgen_spm_train_options;

int idgen_spm_api_version(void);

// Trains on a text file, one sentence a line, with T5's special ids (pad 0, eos 1, unk 2, no
// bos); *model receives the serialized model (free with idgen_spm_free).
char *idgen_spm_train(const char *input_path, const idgen_spm_train_options *options, char **model,
                      size_t *model_size);

char *idgen_spm_load(const char *bytes, size_t size, idgen_spm_model **model);
void idgen_spm_model_free(idgen_spm_model *model);

// *ids receives *count ids (free with idgen_spm_free); no eos is appended.
char *idgen_spm_encode(const idgen_spm_model *model, const char *text, size_t text_size, int **ids,
                       size_t *count);
// *text receives *text_size bytes, not NUL-terminated (free with idgen_spm_free).
char *idgen_spm_decode(const idgen_spm_model *model, const int *ids, size_t count, char **text,
                       size_t *text_size);

int idgen_spm_vocab_size(const idgen_spm_model *model);
// The unknown id for a piece not in the vocabulary.
int idgen_spm_piece_to_id(const idgen_spm_model *model, const char *piece, size_t piece_size);
// Owned by the model, valid while it lives; NULL for an id out of range.
const char *idgen_spm_id_to_piece(const idgen_spm_model *model, int id);
// The model's special ids, -1 where it has none.
void idgen_spm_special_ids(const idgen_spm_model *model, int *pad, int *eos, int *unk, int *bos);

void idgen_spm_free(void *buffer);

#ifdef __cplusplus
}
#endif
