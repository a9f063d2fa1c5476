-- Sentence embeddings, one row per text and embedding model (lib/embeddings).
CREATE TABLE "TextEmbedding" (
    "model" TEXT NOT NULL,
    "textHash" TEXT NOT NULL,
    "dimensions" INTEGER NOT NULL,
    "vector" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TextEmbedding_pkey" PRIMARY KEY ("model","textHash")
);
