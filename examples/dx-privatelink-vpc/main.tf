# A provider-account VPC reached only through Direct Connect, attached by the
# dx-privatelink-vpc module: a private VIF on your own connection, through a
# Direct Connect gateway, routes propagated into the private route tables.
# The tenants' services (examples/dx-privatelink-service) go into this VPC
# through the module's network output.

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
  # Subnets keyed by names known at plan: the module keys nothing by an id.
  zones = { a = "${var.region}a", b = "${var.region}b" }
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true # the interface endpoints' private DNS needs both
  enable_dns_hostnames = true
  tags                 = { Name = "fix-gw" }
}

# No internet gateway, no NAT gateway: the only way out is Direct Connect.
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

# The NAT instances fetch their rules (and AL2023 packages) from S3 through
# this gateway endpoint; the module admits them to the region's S3 prefix list.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for rt in aws_route_table.private : rt.id]
}

resource "aws_dx_gateway" "this" {
  name            = "fix-gw-dxgw"
  amazon_side_asn = var.dx_gateway_asn
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
    dx_gateway  = { id = aws_dx_gateway.this.id }
    private_vif = var.private_vif
  }
  bgp_auth_key = var.bgp_auth_key

  monitoring = { emails = var.alarm_emails }
}
