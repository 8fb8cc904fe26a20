variable "region" {
  type    = string
  default = "us-east-1"
}

variable "environment" {
  type = string
}

variable "worker_count" {
  type    = number
  default = 1
}

variable "team" {
  type    = string
  default = "shop"
}
