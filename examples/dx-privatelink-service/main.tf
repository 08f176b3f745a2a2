# A provider account sharing brokers behind a partner's hosted Direct Connect
# VIF with two tenants: its own VPC, the dx-privatelink-vpc module once, and
# the dx-privatelink-service module once per tenant (for_each): each tenant
# gets its own NLB, NAT fleet and endpoint service, and its own consumers.

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
  default_tags {
    tags = { managed-by = "dx-privatelink" }
  }
}

locals {
  zones = { a = "${var.region}a", b = "${var.region}b" }

  # One entry per tenant; forward names are the consumers' DNS names.
  tenants = {
    internal = {
      principals = ["arn:aws:iam::222222222222:root"]
      acceptance = "auto"
      forwards = {
        broker-a-fix = { listen_port = 9001, target_ip = "192.0.2.10", target_port = 9876, tcp_idle_timeout_seconds = 3600 }
        clearing-api = { listen_port = 9443, target_ip = "172.20.5.15", target_port = 8443 }
      }
    }
    clients = {
      principals = ["arn:aws:iam::333333333333:root", "arn:aws:iam::444444444444:root"]
      acceptance = "manual"
      forwards = {
        broker-b-fix = { listen_port = 9002, target_ip = "198.51.100.20", target_port = 4500, tcp_idle_timeout_seconds = 3600 }
      }
    }
  }
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "fix-gw" }
}

resource "aws_subnet" "private" {
  for_each          = local.zones
  vpc_id            = aws_vpc.this.id
  availability_zone = each.value
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 2, index(keys(local.zones), each.key))
  tags              = { Name = "fix-gw-private-${each.key}" }
}

resource "aws_route_table" "private" {
  for_each = local.zones
  vpc_id   = aws_vpc.this.id
  tags     = { Name = "fix-gw-private-${each.key}" }
}

resource "aws_route_table_association" "private" {
  for_each       = local.zones
  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private[each.key].id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for rt in aws_route_table.private : rt.id]
}

module "network" {
  source = "../../modules/dx-privatelink-vpc"
  # or, from another repository, pinned to a release:
  # source = "git::https://example.com/your-org/dx-privatelink.git//modules/dx-privatelink-vpc?ref=v0.2.0"

  name            = "fix-gw"
  vpc_id          = aws_vpc.this.id
  vpc_cidr        = aws_vpc.this.cidr_block
  subnet_ids      = [for zone in keys(local.zones) : aws_subnet.private[zone].id]
  route_table_ids = { for zone, rt in aws_route_table.private : zone => rt.id } # keys known at plan

  direct_connect = {
    hosted_vif = { id = var.hosted_vif_id } # from your partner
  }
  monitoring = { emails = var.alarm_emails } # every tenant's alarms go to this topic too
}

module "service" {
  source = "../../modules/dx-privatelink-service"
  # or, from another repository, pinned to a release:
  # source = "git::https://example.com/your-org/dx-privatelink.git//modules/dx-privatelink-service?ref=v0.2.0"
  for_each = local.tenants

  name               = "fix-gw-${each.key}"
  network            = module.network.network
  allowed_principals = each.value.principals
  acceptance         = each.value.acceptance
  forwards           = each.value.forwards
  # To remove a tenant, see "Removing a tenant, tearing down" in the module's README.
  deletion_protection = try(each.value.deletion_protection, true)
  # One alarm topic for the link and every tenant (the VPC module's; it is
  # created in this apply, so say so: create_topic = false).
  monitoring = { create_topic = false, topic_arn = module.network.alarm_topic_arn }
  tags       = { tenant = each.key }
}
