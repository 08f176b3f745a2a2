variable "region" {
  description = "Region of the VPC: the endpoint service's region (or one of its supported_regions, then set service_region per service)."
  type        = string
  default     = "eu-west-2"
}

variable "vpc_cidr" {
  description = "CIDR of the new VPC; it may overlap the provider's or other consumers' (PrivateLink does not route between VPCs)."
  type        = string
  default     = "10.1.0.0/24"
}

variable "services" {
  description = "What the provider handed over, per tenant: the entries of its consumer_handover output (service_name, zone_ids, ports: listen port per forward name)."
  type = map(object({
    service_name = string
    zone_ids     = list(string)
    ports        = map(number)
  }))
}
