# What your Direct Connect partner and your NOC give you: replace before you apply.
hosted_vif_id = "dxvif-ffhhk74f"
alarm_emails  = ["noc@example.com"]
