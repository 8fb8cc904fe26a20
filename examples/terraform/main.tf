provider "aws" {
  region = var.region

  default_tags {
    tags = {
      environment = var.environment
      managed-by  = "terraform"
    }
  }
}

locals {
  common_tags = {
    owner       = var.team
    cost-center = "cc-1042"
  }
}

module "storefront" {
  source        = "./modules/web_service"
  name          = "storefront"
  instance_type = "t3.large"
  tags          = local.common_tags
}

module "checkout" {
  source        = "./modules/web_service"
  name          = "checkout"
  instance_type = "m6i.xlarge"
  tags          = local.common_tags
}

# Background workers: the team forgot the tags here.
resource "aws_instance" "worker" {
  count         = var.worker_count
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "c6i.2xlarge"

  root_block_device {
    volume_type = "gp3"
    volume_size = 40
  }
}

resource "aws_ebs_volume" "uploads" {
  for_each          = toset(["a", "b"])
  availability_zone = "${var.region}${each.key}"
  size              = 500
  type              = "gp2"
  tags              = merge(local.common_tags, { Name = "uploads-${each.key}" })
}

resource "aws_db_instance" "orders" {
  identifier        = "orders-${var.environment}"
  engine            = "postgres"
  instance_class    = "db.r6g.large"
  allocated_storage = 200
  storage_type      = "gp3"
  multi_az          = var.environment == "prod"
  tags              = local.common_tags
}
