# Consumer account: an interface endpoint to the provider's endpoint service,
# reachable only on the forward ports from the application subnets, with one
# DNS name per forward (broker-b-fix.brokers.internal:9002).
#
# From your own repository, pin a release instead of the relative path:
#   source = "git::https://example.com/your-org/dx-privatelink.git//modules/dx-privatelink-consumer?ref=v0.2.0"

terraform {
  required_version = ">= 1.9.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region              = "eu-west-2"
  allowed_account_ids = ["333333333333"]
}

variable "service_name" {
  description = "The provider's endpoint service name (its services[\"clients\"].service_name output)."
  type        = string
  default     = "com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0"
}

variable "zone_ids" {
  description = "Availability zone ids the service is offered in (the provider's services[\"clients\"].zone_ids output)."
  type        = list(string)
  default     = ["euw2-az1", "euw2-az2", "euw2-az3"]
}

module "consumer" {
  source = "../../modules/dx-privatelink-consumer"

  name          = "client-acme"
  vpc_id        = "vpc-0333333333333333a"
  subnet_ids    = ["subnet-0333333333333333a", "subnet-0333333333333333b"]
  allowed_cidrs = ["10.0.0.0/24", "10.0.8.0/24"]
  dns_zone      = "brokers.internal"

  services = {
    clients-0 = {
      service_name = var.service_name
      zone_ids     = var.zone_ids
      ports        = { broker-b-fix = 9002 }
    }
  }
}

output "forwards" {
  description = "host:port per forward."
  value       = module.consumer.forwards
}
