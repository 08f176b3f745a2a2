variable "region" {
  description = "Region of the VPC."
  type        = string
  default     = "eu-west-2"
}

variable "vpc_cidr" {
  description = "CIDR of the new VPC: it must not overlap the network behind Direct Connect (consumers' CIDRs may)."
  type        = string
  default     = "10.42.0.0/24"
}

variable "hosted_vif_id" {
  description = "The hosted private VIF your Direct Connect partner allocated to this account (accepted here, attached to the module's VGW): in partner.tfvars."
  type        = string
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic of the link and every tenant (each confirms by mail)."
  type        = list(string)
  default     = []
}
