-- The device 'default' (levels 1 and 2) now keeps its position like every device does, so that what
-- a level 3 device acks while it is away still reaches it at its next login. The rows V2 made for it
-- were never moved since: they start again at the newest message, as a device that has everything
-- it will be sent (its pending messages are the ones it reads by their status, whatever its position).
UPDATE devices SET delivered_up_to = (SELECT COALESCE(MAX(msg_id), 0) FROM messages) WHERE device = 'default';
