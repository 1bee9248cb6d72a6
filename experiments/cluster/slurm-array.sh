#!/bin/bash
# Runs an experiment as a Slurm job array: array task i of N runs shard i/N into shards/<i>/.
# Submit:  sbatch --array=1-8 experiments/cluster/slurm-array.sh experiments/my-study.yaml
# Then:    sbatch --dependency=afterok:<array job id> experiments/cluster/slurm-merge.sh my-study
# The array must start at 1 (--array=1-N): the shard index is SLURM_ARRAY_TASK_ID and N is
# SLURM_ARRAY_TASK_COUNT. Resubmitting the same array resumes: finished runs are skipped.
#SBATCH --job-name=clustersim
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=04:00:00
#SBATCH --output=clustersim-%A_%a.log
set -euo pipefail
experiment="${1:?usage: sbatch --array=1-N slurm-array.sh <experiment.yaml>}"
npx clustersim run "$experiment" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --out "shards/${SLURM_ARRAY_TASK_ID}" --quiet
