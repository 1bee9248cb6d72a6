#!/bin/bash
# Joins the shards of a Slurm array run (see slurm-array.sh) into results/<name>/ and writes the report.
# Submit: sbatch --dependency=afterok:<array job id> experiments/cluster/slurm-merge.sh <experiment name>
#SBATCH --job-name=clustersim-merge
#SBATCH --cpus-per-task=1
#SBATCH --time=00:30:00
#SBATCH --output=clustersim-merge-%j.log
set -euo pipefail
name="${1:?usage: sbatch slurm-merge.sh <experiment name>}"
npx clustersim merge "results/${name}" shards/*/"${name}"
npx clustersim report "results/${name}"
