# A consumer account reaching one provider tenant's brokers: its own VPC and
# application subnets, then the dx-privatelink-consumer module: an interface
# endpoint to the tenant's endpoint service, reachable only on the forward
# ports from the application subnets, and one DNS name per forward
# (broker-b-fix.brokers.internal:9002). It needs nothing of the provider's
# Terraform state: only the handover in var.services.

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
  region = var.region
}

locals {
  # The endpoint's subnets in exactly the zones the services are offered in
  # (zone ids are the same in every account; zone names are not).
  zone_ids = sort(distinct(flatten([for s in values(var.services) : s.zone_ids])))
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true # the private hosted zone needs both
  enable_dns_hostnames = true
  tags                 = { Name = "trading" }
}

resource "aws_subnet" "endpoints" {
  for_each             = toset(local.zone_ids)
  vpc_id               = aws_vpc.this.id
  availability_zone_id = each.key
  cidr_block           = cidrsubnet(aws_vpc.this.cidr_block, 4, index(local.zone_ids, each.key))
  tags                 = { Name = "trading-endpoints-${each.key}" }
}

module "consumer" {
  source = "../../modules/dx-privatelink-consumer"
  # or, from another repository, pinned to a release:
  # source = "git::https://example.com/your-org/dx-privatelink.git//modules/dx-privatelink-consumer?ref=v0.2.0"

  name          = "trading"
  vpc_id        = aws_vpc.this.id
  subnet_ids    = [for z in local.zone_ids : aws_subnet.endpoints[z].id]
  allowed_cidrs = [aws_vpc.this.cidr_block] # the applications' subnets; list narrower CIDRs where you can
  dns_zone      = "brokers.internal"
  services      = var.services # the provider's consumer_handover, one entry per tenant you use
}
