variable "region" {
  description = "Region of the VPC (and of the Direct Connect location's VIF)."
  type        = string
  default     = "eu-west-2"
}

variable "vpc_cidr" {
  description = "CIDR of the new VPC: it must not overlap your on-premises network (consumers' CIDRs may)."
  type        = string
  default     = "10.42.0.0/24"
}

variable "dx_gateway_asn" {
  description = "Amazon-side ASN of the Direct Connect gateway."
  type        = number
  default     = 64630
}

variable "private_vif" {
  description = "The private VIF on your own Direct Connect connection: connection id, VLAN and BGP settings agreed with your network team."
  type = object({
    connection_id    = string
    vlan             = number
    bgp_asn          = number
    amazon_address   = string
    customer_address = string
  })
  default = {
    connection_id    = "dxcon-fgexampl"
    vlan             = 101
    bgp_asn          = 65010
    amazon_address   = "169.254.100.1/30"
    customer_address = "169.254.100.2/30"
  }
}

variable "bgp_auth_key" {
  description = "BGP MD5 key of the VIF (TF_VAR_bgp_auth_key, from a secret store); null lets AWS generate one."
  type        = string
  sensitive   = true
  default     = null
}

variable "alarm_emails" {
  description = "Addresses subscribed to the link's alarms (each confirms by mail)."
  type        = list(string)
  default     = []
}
