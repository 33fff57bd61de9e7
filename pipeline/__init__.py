"""The extraction pipeline: stages composed by `pipeline.run.run()`."""
