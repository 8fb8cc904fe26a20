environment  = "prod"
worker_count = 2
