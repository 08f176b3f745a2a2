# Provider account: the owner of the Direct Connect link shares brokers with
# two tenants, each through its own NLB and endpoint service. The VPC module
# attaches the VPC to Direct Connect once, for every tenant.
#
# source = "../../modules/..." works inside this repository. From your own
# repository, pin a release instead:
#   source = "git::https://example.com/your-org/dx-privatelink.git//modules/dx-privatelink-service?ref=v0.2.0"

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
  allowed_account_ids = ["111111111111"]
  default_tags {
    tags = { managed-by = "dx-privatelink" }
  }
}

variable "bgp_auth_key" {
  description = "BGP MD5 key of the private VIF (TF_VAR_bgp_auth_key); null lets AWS generate one."
  type        = string
  sensitive   = true
  default     = null
}

locals {
  vpc = {
    id              = "vpc-0123456789abcdef0"
    cidr            = "10.42.0.0/24"
    subnet_ids      = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
    route_table_ids = { eu-west-2a = "rtb-0aaaaaaaaaaaaaaaa", eu-west-2b = "rtb-0bbbbbbbbbbbbbbbb" }
    # The VPC's interface endpoints (private DNS on) for the APIs the NAT
    # instances call: Auto Scaling (required: each instance completes its
    # launch through it) and Session Manager's three.
    fleet_endpoints = {
      security_group_id = "sg-0e0e0e0e0e0e0e0e0"
      endpoint_ids = {
        autoscaling = "vpce-0a5c0a5c0a5c0a5c0"
        ssm         = "vpce-055a055a055a055a0"
        ssmmessages = "vpce-055b055b055b055b0"
        ec2messages = "vpce-0ec2ec2ec2ec2ec20"
      }
    }
  }

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

# Once per VPC: Direct Connect, the fleet endpoints, the S3 prefix list (the
# NAT instances fetch their rules through the VPC's S3 gateway endpoint),
# flow logs and the link's alarms. Routes are propagated from the VGW, so
# every tenant's targets are reachable.
module "network" {
  source = "../../modules/dx-privatelink-vpc"

  name            = "fix-gw"
  vpc_id          = local.vpc.id
  vpc_cidr        = local.vpc.cidr
  subnet_ids      = local.vpc.subnet_ids
  route_table_ids = local.vpc.route_table_ids
  fleet_endpoints = { existing = local.vpc.fleet_endpoints }

  direct_connect = {
    amazon_side_asn = 64512
    private_vif = {
      connection_id    = "dxcon-fgexampl"
      vlan             = 101
      bgp_asn          = 65010
      amazon_address   = "169.254.100.1/30"
      customer_address = "169.254.100.2/30"
    }
  }
  bgp_auth_key = var.bgp_auth_key
}

module "service" {
  source   = "../../modules/dx-privatelink-service"
  for_each = local.tenants

  name               = "fix-gw-${each.key}"
  network            = module.network.network
  forwards           = each.value.forwards
  allowed_principals = each.value.principals
  acceptance         = each.value.acceptance
}

output "services" {
  description = "Endpoint service per tenant: give service_name, zone_ids and the ports to the tenant's consumers."
  value       = { for k, m in module.service : k => { service_name = m.service_name, service_id = m.service_id, zone_ids = m.zone_ids, ports = m.port_map } }
}
